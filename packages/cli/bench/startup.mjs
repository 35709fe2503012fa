// How long `oncekey --version` and `oncekey --help` take to start and exit, as ratios to `node -e 0` measured in
// the same run, in alternating rounds (the machines are shared and noisy). The command loads no command module,
// no oncekey package and no Azure SDK for these, so the goal is to stay close to bare Node.
import { spawnSync } from "node:child_process";
import { fileURLToPath, URL } from "node:url";

const bin = fileURLToPath(new URL("../dist/bin/oncekey.js", import.meta.url));
const ROUNDS = 21;
const runs = {
  "node -e 0": [process.execPath, ["-e", "0"]],
  "oncekey --version": [process.execPath, [bin, "--version"]],
  "oncekey --help": [process.execPath, [bin, "--help"]],
};

function time([command, args]) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: "ignore" });
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const samples = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(runs)) samples[name].push(time(run));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baseline = median(samples["node -e 0"]);
console.log(`start-up, median of ${ROUNDS} runs each (alternating)`);
for (const name of Object.keys(runs)) {
  const ms = median(samples[name]);
  const ratio = ms / baseline;
  const goal = name === "node -e 0" ? "" : `  goal <= 1.5x  ${ratio <= 1.5 ? "PASS" : "MISS"}`;
  console.log(`  ${name.padEnd(18)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2)}x${goal}`);
}
