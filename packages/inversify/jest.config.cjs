// The package's tests run twice, once against each inversify major it supports: "inversify" is mapped to the
// installed copy of that major (inversify 7.11 as the `inversify7` alias, 8.2 as `inversify`). A test file named
// `*-inversify<major>.test.ts` runs against that major only (the README's code, which uses one major's API).
//
// inversify 8 ships ES modules only. Node (20.19+) can require it, but jest's own module system cannot, so in the
// inversify 8 run swc turns inversify's and @inversifyjs/*'s modules into CommonJS as it does the tests'. The
// example app (examples/inversify-app) runs inversify 8 natively, as a Node process under each major.
const preset = require("../../jest.preset.cjs");

/** @param {7 | 8} major @param {string} name the installed package of that major */
function underInversify(major, name) {
  const { maxWorkers: _workers, testTimeout: _timeout, ...project } = preset;
  return {
    ...project,
    displayName: `inversify ${major}`,
    rootDir: __dirname,
    moduleNameMapper: { "^inversify$": require.resolve(name), ...preset.moduleNameMapper },
    testPathIgnorePatterns: ["/node_modules/", `-inversify(?!${major})\\d+\\.test\\.ts$`],
    // node_modules stay untransformed, except inversify and its @inversifyjs packages (ESM only in 8).
    transformIgnorePatterns: ["/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(inversify|@inversifyjs)/)"],
  };
}

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: preset.maxWorkers,
  testTimeout: preset.testTimeout,
  projects: [underInversify(7, "inversify7"), underInversify(8, "inversify")],
};
