// The snippets run as processes of a temporary project against the built packages (`pnpm test` builds them first,
// see turbo.json); the tests themselves import the sources, and the command's sources get the version its build
// would give them.
module.exports = {
  ...require("../../jest.preset.cjs"),
  globals: { __ONCEKEY_CLI_VERSION__: require("../../packages/cli/package.json").version },
  testTimeout: 60_000,
};
