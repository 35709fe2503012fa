// Shared jest settings: swc transpiles TypeScript (type-checking is the `typecheck` task),
// workspace packages resolve to their sources so a test never runs against a stale build.
const path = require("node:path");

const packagesDir = path.join(__dirname, "packages");

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  testMatch: ["<rootDir>/test/**/*.test.ts", "<rootDir>/src/**/*.test.ts"],
  transform: {
    "^.+\\.(t|j)s$": [
      "@swc/jest",
      {
        jsc: {
          target: "es2022",
          parser: { syntax: "typescript", decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: "commonjs" },
        sourceMaps: "inline",
      },
    ],
  },
  moduleNameMapper: {
    "^@oncekey/([a-z-]+)$": `${packagesDir}/$1/src/index.ts`,
    // A subpath export ("@oncekey/core/source") is the package's src/<subpath>.ts.
    "^@oncekey/([a-z-]+)/([a-z-]+)$": `${packagesDir}/$1/src/$2.ts`,
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  maxWorkers: 2,
  testTimeout: 30_000,
};
