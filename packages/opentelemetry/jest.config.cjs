// The sources get the version the build gives the bundle (tsup.config.ts).
module.exports = {
  ...require("../../jest.preset.cjs"),
  globals: { __ONCEKEY_OPENTELEMETRY_VERSION__: require("./package.json").version },
};
