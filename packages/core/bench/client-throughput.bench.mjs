// OnceHubClient throughput and client CPU per request, as ratios to a bare undici Pool, Node's fetch and axios, all
// against one sandbox in its own process (so the server's CPU is not billed to the client), in alternating rounds.
import { Agent as HttpsAgent } from "node:https";
import { URL } from "node:url";
import { OnceHubClient, staticKey } from "@oncekey/core";
import axios from "axios";
import { Agent, Pool } from "undici";

const POOL = "undici Pool.request";
const FETCH = "fetch + undici Agent";
const AXIOS = "axios + https.Agent";
const CLIENT = "OnceHubClient";

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function clientThroughput(kit) {
  const requests = kit.intFromEnv("BENCH_REQUESTS", kit.quick ? 2_000 : 10_000);
  const concurrency = kit.intFromEnv("BENCH_CONCURRENCY", 64);
  const rounds = kit.intFromEnv("BENCH_ROUNDS", kit.quick ? 1 : 5);

  const run = (call, total) => kit.runConcurrently(call, { total, concurrency });
  const expectOk = (status, name) => {
    if (status !== 200) throw new Error(`${name}: the sandbox answered ${status}`);
  };

  const sandbox = await kit.startSandboxProcess();
  const url = new URL(`${sandbox.baseUrl}/test`);
  const headers = { "API-Key": sandbox.key };
  const pool = new Pool(url.origin, { connections: concurrency, connect: { ca: sandbox.ca } });
  const dispatcher = new Agent({ connections: concurrency, connect: { ca: sandbox.ca } });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: concurrency, ca: sandbox.ca });
  const instance = axios.create({ httpsAgent, headers, validateStatus: () => true });
  const client = new OnceHubClient({
    keys: staticKey(sandbox.key),
    baseUrl: sandbox.baseUrl,
    ca: sandbox.ca,
    pacing: false,
  });
  const contenders = {
    [POOL]: async () => {
      const res = await pool.request({ method: "GET", path: url.pathname, headers });
      if (res.statusCode !== 200) await res.body.dump();
      expectOk(res.statusCode, POOL);
      return res.body.json();
    },
    [FETCH]: async () => {
      const res = await globalThis.fetch(url, { headers, dispatcher });
      expectOk(res.status, FETCH);
      return res.json();
    },
    [AXIOS]: async () => {
      const res = await instance.get(url.href);
      expectOk(res.status, AXIOS);
      return res.data;
    },
    [CLIENT]: () => client.request("GET", "/test"),
  };

  let samples;
  try {
    kit.title(
      `client throughput: ${kit.format(requests)} GET /v2/test at concurrency ${concurrency}, ${rounds} rounds, ` +
        `sandbox in its own process (pid ${sandbox.pid})`,
    );
    for (const call of Object.values(contenders)) await run(call, kit.quick ? 500 : 2_000);
    samples = await kit.alternate(contenders, {
      rounds,
      sample: async (_name, call) => {
        // Reopens sockets the server closed while the others ran, so no handshake lands in the timing.
        await run(call, concurrency * 4);
        return run(call, requests);
      },
      onRound: (round) => console.log(`round ${round}/${rounds} done`),
    });
  } finally {
    await Promise.allSettled([pool.close(), dispatcher.close(), client.close()]);
    httpsAgent.destroy();
    await sandbox.stop();
  }

  const rate = (name) => kit.median(samples.get(name).map((r) => r.perSecond));
  const cpu = (name) => kit.median(samples.get(name).map((r) => r.cpuMicros));
  kit.table([
    ["contender", "requests/s (median)", "spread", "client CPU µs/request (median)", "spread"],
    ...[...samples].map(([name, results]) => [
      name,
      kit.format(rate(name)),
      kit.spread(results.map((r) => r.perSecond)),
      kit.format(cpu(name), 1),
      kit.spread(results.map((r) => r.cpuMicros)),
    ]),
  ]);
  // The client dispatches with a handler that buffers the body, skipping the stream Pool.request builds for each
  // response: it can use less CPU per request than the "bare" pool.
  return [
    kit.row({
      name: `client throughput vs ${POOL}`,
      value: rate(CLIENT) / rate(POOL),
      unit: "x",
      goal: [">=", 0.95],
    }),
    kit.row({
      name: `client CPU per request vs ${POOL}`,
      value: cpu(CLIENT) / cpu(POOL),
      unit: "x",
      goal: ["<=", 1.1],
    }),
    kit.row({
      name: `client throughput vs ${FETCH}`,
      value: rate(CLIENT) / rate(FETCH),
      unit: "x",
      goal: [">=", 2],
    }),
    kit.row({
      name: `client CPU per request vs ${FETCH}`,
      value: cpu(CLIENT) / cpu(FETCH),
      unit: "x",
      goal: ["<=", 0.5],
    }),
    kit.row({
      name: `client throughput vs ${AXIOS}`,
      value: rate(CLIENT) / rate(AXIOS),
      unit: "x",
      goal: [">=", 2],
    }),
    kit.row({
      name: `client CPU per request vs ${AXIOS}`,
      value: cpu(CLIENT) / cpu(AXIOS),
      unit: "x",
      goal: ["<=", 0.5],
    }),
  ];
}
