// Issue 15 benchmark: what the Redis pacing store adds to a call whose budgets are free, against the in-process
// store, measured in the same run, in alternating rounds: the median latency of one sequential call, and the
// client CPU per request at concurrency 64. The sandbox runs in its own process and Redis in its own server, so
// only the client's work is billed to the client.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import * as core from "@oncekey/core";
import { redisPacing } from "../dist/index.js";
// The report helpers and the sandbox process of core's benchmarks, so every package prints the same lines.
import { goal, goals, table, title } from "../../core/bench/lib/report.mjs";
import { startSandboxProcess } from "../../core/bench/lib/start-sandbox-process.mjs";
import { collectGarbage, format, intFromEnv, median, spread } from "../../core/bench/lib/stats.mjs";

const ROUNDS = intFromEnv("BENCH_ROUNDS", 5);
const SEQUENTIAL = intFromEnv("BENCH_SEQUENTIAL", 2_000);
const REQUESTS = intFromEnv("BENCH_REQUESTS", 10_000);
const CONCURRENCY = intFromEnv("BENCH_CONCURRENCY", 64);

if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status !== 0) {
  console.log(
    "redis pacing: redis-server is not on PATH (apt-get install -y redis-server); nothing measured.",
  );
  process.exit(0);
}

async function freePort() {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  process.once("exit", () => child.kill("SIGKILL"));
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (up) return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill("SIGKILL") };
    await sleep(25);
  }
  throw new Error("redis-server did not start");
}

// Budgets far above what the run sends: every call finds them free, so only the store's cost is measured. The
// window is short (1 s) so the logs stay the size a real egress budget keeps (OnceHub's holds at most 200).
const FREE = { requestsPerSecond: 1e6, burst: 1e6, egress: { requests: 1e9, windowMs: 1_000 } };

const redis = await startRedis();
const sandbox = await startSandboxProcess();
const store = redisPacing({ url: redis.url, prefix: "bench:{pacing}:" });
const options = { keys: core.staticKey(sandbox.key), baseUrl: sandbox.baseUrl, ca: sandbox.ca, retry: false };
const contenders = new Map([
  ["no pacing", new core.OnceHubClient({ ...options, pacing: false })],
  ["in-process store", new core.OnceHubClient({ ...options, pacing: FREE })],
  ["Redis store", new core.OnceHubClient({ ...options, pacing: { ...FREE, store } })],
]);

async function sequential(client) {
  const latencies = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const started = performance.now();
    await client.request("GET", "/test");
    latencies.push(performance.now() - started);
  }
  return median(latencies);
}

async function concurrent(client) {
  let started = 0;
  collectGarbage();
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started++ < REQUESTS) await client.request("GET", "/test");
    }),
  );
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / REQUESTS;
}

const latency = new Map([...contenders.keys()].map((name) => [name, []]));
const cpu = new Map([...contenders.keys()].map((name) => [name, []]));
try {
  title(
    `redis pacing: ${format(SEQUENTIAL)} sequential GET /v2/test (latency) and ${format(REQUESTS)} at concurrency ` +
      `${CONCURRENCY} (CPU), budgets free, ${ROUNDS} rounds`,
  );
  for (const client of contenders.values()) {
    for (let i = 0; i < 500; i++) await client.request("GET", "/test");
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, client] of contenders) {
      latency.get(name).push(await sequential(client));
      cpu.get(name).push(await concurrent(client));
    }
    process.stdout.write(`round ${round}/${ROUNDS} done\n`);
  }
} finally {
  await Promise.allSettled([...contenders.values()].map((client) => client.close()));
  await store.close();
  await sandbox.stop();
  redis.stop();
}

console.log("");
table([
  ["contender", "call latency ms (median)", "spread", "client CPU µs/request (median)", "spread"],
  ...[...contenders.keys()].map((name) => [
    name,
    format(median(latency.get(name)), 3),
    spread(latency.get(name)),
    format(median(cpu.get(name)), 1),
    spread(cpu.get(name)),
  ]),
]);
const ms = (name) => median(latency.get(name));
const us = (name) => median(cpu.get(name));
const added = ms("Redis store") - ms("in-process store");
console.log(
  `\nadded latency of a paced call, Redis store vs in-process: ${added.toFixed(3)} ms at the median`,
);
goals([
  // A goal line takes a ratio: the added milliseconds against the 1 ms allowed.
  goal("added latency (Redis - in-process) / 1 ms", Math.max(0, added) / 1, "<=", 1),
  goal(
    "client CPU/request, Redis store vs in-process",
    us("Redis store") / us("in-process store"),
    "<=",
    1.3,
  ),
]);
