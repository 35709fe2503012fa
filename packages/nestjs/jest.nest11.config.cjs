// The same tests against NestJS 11, the last CommonJS major, installed under aliases (nest11-common …): every
// import of @nestjs/* (the package's, the tests', and Nest's own among its packages) resolves to the 11.x copy.
// jest runs them as CommonJS, as an app on Nest 11 would; the package's sources again without decorator metadata.
const preset = require("../../jest.preset.cjs");

const [swc, options] = preset.transform["^.+\\.(t|j)s$"];
const withoutMetadata = (swcOptions) => ({
  ...swcOptions,
  jsc: { ...swcOptions.jsc, transform: { ...swcOptions.jsc.transform, decoratorMetadata: false } },
});

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  transform: {
    "/packages/nestjs/src/.+\\.ts$": [swc, withoutMetadata(options)],
    "^.+\\.(t|j)s$": [swc, options],
  },
  moduleNameMapper: {
    "^@nestjs/(common|core|platform-express|terminus)$": "<rootDir>/node_modules/nest11-$1",
    "^@nestjs/(common|core|platform-express|terminus)/(.+)$": "<rootDir>/node_modules/nest11-$1/$2",
    ...preset.moduleNameMapper,
  },
  // Nest's Fastify platform is tested on 12 only.
  testPathIgnorePatterns: ["/node_modules/", "/test/fastify-platform(-contract)?\\.test\\.ts$"],
  globals: { ONCEKEY_NEST_MAJOR: "11" },
};
