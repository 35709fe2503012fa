// Nest 12 is ESM-only, and jest's CommonJS module system cannot require it: these tests run as ES modules
// (jest with --experimental-vm-modules), transpiled by swc like every other package's. The package's own
// sources are transpiled without decorator metadata, as its build (esbuild) does, so the tests would fail if it
// needed any; the tests' classes get metadata, as an app's do.
const preset = require("../../jest.preset.cjs");

const [swc, options] = preset.transform["^.+\\.(t|j)s$"];
const esm = { ...options, module: { type: "es6" } };
const withoutMetadata = (swcOptions) => ({
  ...swcOptions,
  jsc: { ...swcOptions.jsc, transform: { ...swcOptions.jsc.transform, decoratorMetadata: false } },
});

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "/packages/nestjs/src/.+\\.ts$": [swc, withoutMetadata(esm)],
    "^.+\\.(t|j)s$": [swc, esm],
  },
  globals: { ONCEKEY_NEST_MAJOR: "12" },
};
