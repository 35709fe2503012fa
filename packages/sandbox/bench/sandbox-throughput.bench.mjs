// How many small authenticated requests per second the sandbox serves over loopback HTTPS, with the load generated
// from another process (load-generator.mjs) so the figure is the sandbox's, not the load generator's. Also the
// sandbox's own CPU time over the counted window: on a small machine the load generator usually saturates first,
// and requests per second of one sandbox core is then the figure that says what the sandbox can do.
import { fork } from "node:child_process";
import { fileURLToPath, URL } from "node:url";
import { startSandbox } from "@oncekey/sandbox";

const TARGET = 15_000;

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function sandboxThroughput(kit) {
  const seconds = kit.intFromEnv("BENCH_SECONDS", kit.quick ? 2 : 5);
  const connections = kit.intFromEnv("BENCH_CONNECTIONS", 64);
  const sandbox = await startSandbox({ rateLimit: false, requestLogLimit: 1_000 });
  const child = fork(fileURLToPath(new URL("./load-generator.mjs", import.meta.url)), { stdio: "inherit" });
  let result;
  try {
    let cpuAtStart = process.cpuUsage();
    result = await new Promise((resolve, reject) => {
      child.on("message", (message) => {
        if (message.counting) cpuAtStart = process.cpuUsage();
        else resolve({ ...message, cpu: process.cpuUsage(cpuAtStart) });
      });
      child.once("error", reject);
      child.once("exit", (code) =>
        reject(new Error(`the load generator exited with ${code} before reporting`)),
      );
      child.send({ url: sandbox.url, ca: sandbox.ca, key: sandbox.key, seconds, connections });
    });
  } finally {
    child.kill();
    await sandbox.close();
  }
  const perSecond = result.ok / (result.elapsedMs / 1000);
  const busy = (result.cpu.user + result.cpu.system) / 1000 / result.elapsedMs;
  const perCoreSecond = perSecond / busy;
  kit.title("sandbox throughput");
  console.log(
    `${kit.format(perSecond)} req/s (GET /v2/test, ${kit.format(result.ok)} ok, ${result.failed} failed, ${connections} ` +
      `keep-alive HTTPS connections, ${seconds} s after a 1 s warm-up); sandbox CPU ${Math.round(busy * 100)}% of ` +
      `one core, so ${kit.format(perCoreSecond)} requests per core-second`,
  );
  const failed = result.failed === 0 ? {} : { failed: `${result.failed} requests failed` };
  return [
    kit.row({
      name: "sandbox requests per second of its own CPU (load from another process)",
      value: perCoreSecond,
      unit: "req/s",
      goal: [">=", TARGET],
      ...failed,
    }),
  ];
}
