// How long `oncekey --version` and `oncekey --help` take to start and exit, as ratios to `node -e 0` measured in
// the same run, in alternating rounds (the machines are shared and noisy). The command loads no command module,
// no oncekey package and no Azure SDK for these, so the goal is to stay close to bare Node. Wall time: the wait a
// person at the terminal sees.
import { spawnSync } from "node:child_process";
import { fileURLToPath, URL } from "node:url";

const bin = fileURLToPath(new URL("../dist/bin/oncekey.js", import.meta.url));
const NODE = "node -e 0";
const VERSION = "oncekey --version";
const HELP = "oncekey --help";

/** Runs `args` in a fresh `node` process; returns its wall time in ms. */
function wallMs(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: "ignore" });
  if (result.status !== 0)
    throw new Error(`node ${args.join(" ")} exited with ${result.status ?? result.signal}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function startup(kit) {
  const rounds = kit.intFromEnv("BENCH_STARTUP_RUNS", kit.quick ? 3 : 21);
  const contenders = { [NODE]: ["-e", "0"], [VERSION]: [bin, "--version"], [HELP]: [bin, "--help"] };
  kit.title(`oncekey start-up: ${rounds} fresh processes per contender, in turn (Node ${process.version})`);
  const samples = await kit.alternate(contenders, {
    rounds,
    warmupRounds: 1,
    sample: async (_name, args) => wallMs(args),
  });
  const ms = (name) => kit.median(samples.get(name));
  kit.table([
    ["process", "wall ms (median)", "spread"],
    ...[...samples].map(([name, values]) => [name, kit.format(ms(name), 1), kit.spread(values)]),
  ]);
  return [VERSION, HELP].map((name) =>
    kit.row({
      name: `${name} start-up vs node -e 0, wall time`,
      value: ms(name) / ms(NODE),
      unit: "x",
      goal: ["<=", 1.5],
    }),
  );
}
