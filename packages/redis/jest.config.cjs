// The tests named *.redis.test.ts need a real redis-server (Debian: apt-get install -y redis-server; .ci/run
// installs it). Where it is missing they do not run, and this says so in one line; everything else runs.
const { spawnSync } = require("node:child_process");
const preset = require("../../jest.preset.cjs");

const found = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
if (!found) {
  process.stderr.write(
    "@oncekey/redis: redis-server is not on PATH, so the tests that need a real Redis (test/**/*.redis.test.ts) " +
      "did not run; install it (apt-get install -y redis-server) to run them.\n",
  );
}

module.exports = found
  ? preset
  : { ...preset, testPathIgnorePatterns: ["/node_modules/", "\\.redis\\.test\\.ts$"] };
