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
  const result = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`the load generator exited with ${code} before reporting`)),
    );
    child.send({ url: sandbox.url, ca: sandbox.ca, key: sandbox.key, seconds, connections });
  });
  const perSecond = Math.round(result.ok / (result.elapsedMs / 1000));
  const verdict = perSecond >= target && result.failed === 0 ? "PASS" : "FAIL";
  console.log(
    `sandbox throughput: ${perSecond.toLocaleString("en-US")} req/s ` +
      `(GET /v2/test, ${result.ok.toLocaleString("en-US")} ok, ${result.failed} failed, ` +
      `${connections} keep-alive HTTPS connections, ${seconds} s after a 1 s warm-up) ` +
      `target ${target.toLocaleString("en-US")}: ${verdict}`,
  );
  process.exitCode = verdict === "PASS" ? 0 : 1;
} finally {
  child.kill();
  await sandbox.close();
}
