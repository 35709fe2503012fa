// The tests run the built command as a child process; `pnpm test` builds it first (see turbo.json), and the
// global setup refuses a build older than the sources.
module.exports = {
  ...require("../../jest.preset.cjs"),
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  testTimeout: 60_000,
};
