// Issue 4 benchmark: OnceHubClient throughput and client CPU per request, as ratios to a bare undici Pool, Node's
// fetch and axios, all against one sandbox running in its own process, in alternating rounds of the same run.
import { Agent as HttpsAgent } from "node:https";
import { URL } from "node:url";
import axios from "axios";
import { Agent, Pool } from "undici";
import * as core from "../dist/index.js";
import { startSandboxProcess } from "./lib/start-sandbox-process.mjs";
import { collectGarbage, format, intFromEnv, median, spread } from "./lib/stats.mjs";
import { goal, goals, table, title } from "./lib/report.mjs";

const REQUESTS = intFromEnv("BENCH_REQUESTS", 20_000);
const CONCURRENCY = intFromEnv("BENCH_CONCURRENCY", 64);
const ROUNDS = intFromEnv("BENCH_ROUNDS", 5);
const WARMUP_REQUESTS = 2_000;
/** Relative to the base URL, as the client's `request()` takes it. */
const PATH = process.env.BENCH_PATH ?? "/test";

const POOL = "undici Pool.request";
const FETCH = "fetch + undici Agent";
const AXIOS = "axios + https.Agent";
const CLIENT = "OnceHubClient";

/** Sends `total` requests through `call`, `CONCURRENCY` at a time; returns throughput and client CPU per request. */
async function run(call, total) {
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      await call();
    }
  };
  collectGarbage();
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: total / seconds, cpuMicrosPerRequest: (cpu.user + cpu.system) / total };
}

function expectOk(status, name) {
  if (status !== 200) throw new Error(`${name}: the sandbox answered ${status}`);
}

const sandbox = await startSandboxProcess();
const url = new URL(`${sandbox.baseUrl}${PATH}`);
const headers = { "API-Key": sandbox.key };
const closers = [];

const contenders = new Map();
{
  const pool = new Pool(url.origin, { connections: CONCURRENCY, connect: { ca: sandbox.ca } });
  closers.push(() => pool.close());
  const target = { method: "GET", path: `${url.pathname}${url.search}`, headers };
  contenders.set(POOL, async () => {
    const res = await pool.request(target);
    if (res.statusCode !== 200) await res.body.dump();
    expectOk(res.statusCode, POOL);
    return res.body.json();
  });
}
{
  const dispatcher = new Agent({ connections: CONCURRENCY, connect: { ca: sandbox.ca } });
  closers.push(() => dispatcher.close());
  contenders.set(FETCH, async () => {
    const res = await globalThis.fetch(url, { headers, dispatcher });
    expectOk(res.status, FETCH);
    return res.json();
  });
}
{
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: CONCURRENCY, ca: sandbox.ca });
  closers.push(() => httpsAgent.destroy());
  const instance = axios.create({ httpsAgent, headers, validateStatus: () => true });
  contenders.set(AXIOS, async () => {
    const res = await instance.get(url.href);
    expectOk(res.status, AXIOS);
    return res.data;
  });
}
if (typeof core.OnceHubClient === "function") {
  const client = new core.OnceHubClient({
    keys: core.staticKey(sandbox.key),
    baseUrl: sandbox.baseUrl,
    ca: sandbox.ca,
    pacing: false,
  });
  closers.push(() => client.close());
  contenders.set(CLIENT, () => client.request("GET", PATH));
}

const samples = new Map([...contenders.keys()].map((name) => [name, []]));
const failed = new Map();
try {
  title(
    `client throughput: ${format(REQUESTS)} GET /v2${PATH} at concurrency ${CONCURRENCY}, ${ROUNDS} rounds, ` +
      `sandbox in its own process (pid ${sandbox.pid})`,
  );
  if (!contenders.has(CLIENT)) console.log("OnceHubClient is not exported by the build yet: baselines only.");

  const attempt = async (name, total) => {
    if (failed.has(name)) return undefined;
    try {
      return await run(contenders.get(name), total);
    } catch (error) {
      failed.set(name, error);
      console.log(`${name} failed and is dropped: ${error?.message ?? error}`);
      return undefined;
    }
  };
  for (const name of contenders.keys()) await attempt(name, WARMUP_REQUESTS);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const name of contenders.keys()) {
      // Reopens sockets the server closed while the other contenders ran, so no handshake lands in the timing.
      await attempt(name, CONCURRENCY * 4);
      const result = await attempt(name, REQUESTS);
      if (result !== undefined) samples.get(name).push(result);
    }
    process.stdout.write(`round ${round}/${ROUNDS} done\n`);
  }
} finally {
  await Promise.allSettled(closers.map((close) => close()));
  await sandbox.stop();
}

const measured = (name) => samples.get(name).length > 0 && !failed.has(name);
console.log("");
table([
  ["contender", "requests/s (median)", "spread", "client CPU µs/request (median)", "spread"],
  ...[...samples]
    .filter(([name]) => measured(name))
    .map(([name, results]) => {
      const rates = results.map((r) => r.perSecond);
      const cpu = results.map((r) => r.cpuMicrosPerRequest);
      return [name, format(median(rates)), spread(rates), format(median(cpu), 1), spread(cpu)];
    }),
]);

const rate = (name) => median(samples.get(name).map((r) => r.perSecond));
const cpu = (name) => median(samples.get(name).map((r) => r.cpuMicrosPerRequest));
if (measured(CLIENT) && measured(POOL)) {
  goals([
    goal(`client throughput vs ${POOL}`, rate(CLIENT) / rate(POOL), ">=", 0.95),
    goal(`client CPU/request vs ${POOL}`, cpu(CLIENT) / cpu(POOL), "<=", 1.1),
    ...(measured(FETCH) ? [goal(`client throughput vs ${FETCH}`, rate(CLIENT) / rate(FETCH), ">=", 2)] : []),
    ...(measured(AXIOS) ? [goal(`client throughput vs ${AXIOS}`, rate(CLIENT) / rate(AXIOS), ">=", 2)] : []),
  ]);
} else {
  console.log("\nno client goals: OnceHubClient was not measured.");
}
if (measured(POOL)) {
  const others = [FETCH, AXIOS].filter(measured);
  const line = others.map((name) => `${(rate(POOL) / rate(name)).toFixed(2)}x ${name}`).join(", ");
  if (line !== "") console.log(`\nreference: ${POOL} throughput is ${line}.`);
}
