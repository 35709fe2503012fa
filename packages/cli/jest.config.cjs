// The tests run the built command as a child process; `pnpm test` builds it first (see turbo.json), and the
// global setup refuses a build older than the sources. The sources get the version the build would give them.
module.exports = {
  ...require("../../jest.preset.cjs"),
  globals: { __ONCEKEY_CLI_VERSION__: require("./package.json").version },
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  testTimeout: 60_000,
};
