// What the Redis pacing store adds to a call whose budgets are free, against the in-process store, in the same
// run and alternating rounds: the median latency of one sequential call, and the client CPU per request at
// concurrency 64. The sandbox runs in its own process and Redis in its own server, so only the client's work is
// billed to the client.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { OnceHubClient, staticKey } from "@oncekey/core";
import { redisPacing } from "@oncekey/redis";

const LATENCY = "paced call latency, Redis store minus in-process (median)";
const CPU = "client CPU per request, Redis store vs in-process";

// Budgets far above what the run sends: every call finds them free, so only the store's cost is measured. The
// window is short (1 s) so the logs stay the size a real egress budget keeps (OnceHub's holds at most 200).
const FREE = { requestsPerSecond: 1e6, burst: 1e6, egress: { requests: 1e9, windowMs: 1_000 } };

async function freePort() {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/** A redis-server of its own on a free port, without persistence. */
async function startRedis() {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn("redis-server", args, { stdio: "ignore" });
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

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function redisPacingCost(kit) {
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status !== 0) {
    const failed = "redis-server is not on PATH (apt-get install -y redis-server)";
    return [
      kit.row({ name: LATENCY, value: 0, unit: "ms", goal: ["<=", 1], failed }),
      kit.row({ name: CPU, value: 0, unit: "x", goal: ["<=", 1.3], failed }),
    ];
  }
  const sequential = kit.intFromEnv("BENCH_SEQUENTIAL", kit.quick ? 200 : 2_000);
  const requests = kit.intFromEnv("BENCH_REQUESTS", kit.quick ? 1_000 : 10_000);
  const rounds = kit.intFromEnv("BENCH_ROUNDS", kit.quick ? 1 : 5);
  const concurrency = 64;

  const redis = await startRedis();
  const sandbox = await kit.startSandboxProcess();
  const store = redisPacing({ url: redis.url, prefix: "bench:{pacing}:" });
  const options = { keys: staticKey(sandbox.key), baseUrl: sandbox.baseUrl, ca: sandbox.ca, retry: false };
  const clients = {
    "in-process store": new OnceHubClient({ ...options, pacing: FREE }),
    "Redis store": new OnceHubClient({ ...options, pacing: { ...FREE, store } }),
  };

  /** The median latency of one call, sent one after another, and the client CPU per call at concurrency 64. */
  async function sample(_name, client) {
    const latencies = [];
    for (let i = 0; i < sequential; i++) {
      const started = performance.now();
      await client.request("GET", "/test");
      latencies.push(performance.now() - started);
    }
    const send = () => client.request("GET", "/test");
    const { cpuMicros } = await kit.runConcurrently(send, { total: requests, concurrency });
    return { latencyMs: kit.median(latencies), cpuMicros };
  }

  let samples;
  try {
    kit.title(
      `redis pacing: ${kit.format(sequential)} sequential GET /v2/test (latency), ${kit.format(requests)} at ` +
        `concurrency ${concurrency} (CPU), budgets free, ${rounds} rounds`,
    );
    samples = await kit.alternate(clients, { rounds, warmupRounds: 1, sample });
  } finally {
    await Promise.allSettled(Object.values(clients).map((client) => client.close()));
    await store.close();
    await sandbox.stop();
    redis.stop();
  }
  const of = (name, field) => samples.get(name).map((s) => s[field]);
  kit.table([
    ["contender", "call latency ms (median)", "spread", "client CPU µs/request (median)", "spread"],
    ...Object.keys(clients).map((name) => [
      name,
      kit.format(kit.median(of(name, "latencyMs")), 3),
      kit.spread(of(name, "latencyMs")),
      kit.format(kit.median(of(name, "cpuMicros")), 1),
      kit.spread(of(name, "cpuMicros")),
    ]),
  ]);
  const median = (name, field) => kit.median(of(name, field));
  return [
    kit.row({
      name: LATENCY,
      value: median("Redis store", "latencyMs") - median("in-process store", "latencyMs"),
      unit: "ms",
      goal: ["<=", 1],
    }),
    kit.row({
      name: CPU,
      value: median("Redis store", "cpuMicros") / median("in-process store", "cpuMicros"),
      unit: "x",
      goal: ["<=", 1.3],
    }),
  ];
}
