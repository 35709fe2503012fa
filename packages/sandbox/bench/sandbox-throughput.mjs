// pnpm bench: how many small authenticated requests per second the sandbox serves over loopback HTTPS, with the
// load generated from another process so the figure is the sandbox's, not the load generator's.
// Usage: node bench/sandbox-throughput.mjs [--seconds 5] [--connections 64] [--target 15000]
import { fork } from "node:child_process";
import { fileURLToPath, URL } from "node:url";
import { parseArgs } from "node:util";
import { startSandbox } from "../dist/index.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "64" },
    target: { type: "string", default: "15000" },
  },
});
const seconds = Math.min(60, Number(values.seconds));
const connections = Math.min(1024, Number(values.connections));
const target = Number(values.target);

const sandbox = await startSandbox({ rateLimit: false });
const child = fork(fileURLToPath(new URL("./load-generator.mjs", import.meta.url)), { stdio: "inherit" });
try {
  // The server's CPU time over the counted window tells whether the sandbox or the load generator was the limit.
  let cpuAtStart = process.cpuUsage();
  const result = await new Promise((resolve, reject) => {
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
  const perSecond = Math.round(result.ok / (result.elapsedMs / 1000));
  const busy = (result.cpu.user + result.cpu.system) / 1000 / result.elapsedMs;
  const perCoreSecond = Math.round(perSecond / busy);
  // Throughput is bounded by whichever side saturates first; on a small machine that is often the load
  // generator, so an unsaturated server passes on what one core of it serves.
  const pass = result.failed === 0 && (perSecond >= target || (busy < 0.9 && perCoreSecond >= target));
  const format = (n) => n.toLocaleString("en-US");
  console.log(
    `sandbox throughput: ${format(perSecond)} req/s (GET /v2/test, ${format(result.ok)} ok, ${result.failed} failed, ` +
      `${connections} keep-alive HTTPS connections, ${seconds} s after a 1 s warm-up); ` +
      `sandbox CPU ${Math.round(busy * 100)}% of one core, so ${format(perCoreSecond)} req per core-second; ` +
      `target ${format(target)}: ${pass ? "PASS" : "FAIL"}`,
  );
  process.exitCode = pass ? 0 : 1;
} finally {
  child.kill();
  await sandbox.close();
}
