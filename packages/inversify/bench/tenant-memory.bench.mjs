// Memory of a multi-tenant client resolved from the container: 100,000 distinct tenants are streamed through one
// client whose key cache holds 10,000 (the default bound of `cached`); the heap after a full GC must stay within
// 1.2x of the heap after the first 10,000. Every tenant sends one real request to a sandbox in a child process (its
// own account and key); keys come from an in-memory provider (a map), not from files or a vault, so the source's
// own memory is not part of the measure.
import { performance } from "node:perf_hooks";
import { ApiKey, cached, KeyNotFoundError } from "@oncekey/core";
import { ONCEKEY, OnceKeyModule } from "@oncekey/inversify";
import { Container } from "inversify";

const BOUND = 10_000;
const TARGET = 1.2;

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function tenantMemory(kit) {
  const tenants = kit.intFromEnv("BENCH_TENANTS", kit.quick ? 20_000 : 100_000);
  const inFlight = kit.intFromEnv("BENCH_IN_FLIGHT", 64);
  const heapUsed = () => {
    // Several passes: weak references and finalizers (undici, lru-cache) free more on the second.
    for (let i = 0; i < 3; i++) kit.collectGarbage();
    return process.memoryUsage().heapUsed;
  };
  const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  const sandbox = await kit.startSandboxProcess({ accounts: tenants });
  const { keys } = sandbox;

  /** The in-memory source: a tenant id's index in `keys`; the key is built on each read, as a store would. */
  const memory = {
    name: "memory",
    async getKey(request) {
      const raw = keys[Number(request?.tenant?.slice("tenant-".length))];
      if (raw === undefined) throw new KeyNotFoundError("No key for this tenant.", { source: "memory" });
      return ApiKey.from(raw, { source: "memory" });
    },
  };
  const container = new Container();
  const oncekey = OnceKeyModule.fromOptions({
    keys: cached(memory),
    baseUrl: sandbox.baseUrl,
    ca: sandbox.ca,
    // The sandbox here enforces no per-IP limit, and 100,000 requests would take OnceHub's per-IP budget
    // (200 per 5 minutes) two days: the per-account pacing stays.
    pacing: { egress: false },
  });
  container.load(oncekey); // inversify 8, the package's own (7 names these `loadSync` and `unload`)
  const client = container.get(ONCEKEY.Client);

  let failures = 0;
  /** Sends one request per tenant in [from, to), `inFlight` at a time. */
  async function stream(from, to) {
    let next = from;
    const worker = async () => {
      while (next < to) {
        const tenant = `tenant-${next++}`;
        await client
          .forTenant(tenant)
          .test()
          .catch(() => failures++);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  }

  const rows = [];
  let heapAtBound;
  let heapAtEnd;
  let baseline;
  const started = performance.now();
  try {
    // Warm up on tenants beyond the measured range, so connections, code and pools exist before the baseline.
    await stream(0, Math.min(inFlight * 4, tenants));
    baseline = heapUsed();
    heapAtBound = baseline;
    for (let done = 0; done < tenants;) {
      const to = Math.min(tenants, done + BOUND);
      await stream(done, to);
      done = to;
      const heap = heapUsed();
      if (done === Math.min(BOUND, tenants)) heapAtBound = heap;
      rows.push([kit.format(done), mb(heap), `${(heap / heapAtBound).toFixed(2)}x`]);
    }
    heapAtEnd = heapUsed();
  } finally {
    await container.unloadAsync(oncekey);
    await sandbox.stop();
  }
  const seconds = (performance.now() - started) / 1000;

  kit.title(
    `tenant memory: ${kit.format(tenants)} tenants, one request each, through the container's client ` +
      `(key cache bound ${kit.format(BOUND)}, the default; in-memory key source; sandbox in a child process)`,
  );
  kit.table([["tenants streamed", "heap after GC", "vs after 10,000"], ...rows]);
  const perTenant = (heapAtBound - baseline) / Math.min(BOUND, tenants);
  console.log(
    `baseline heap ${mb(baseline)}; ${kit.format(perTenant)} bytes per cached tenant (key cache entry, usage ` +
      `counters, pacing state); ${(tenants / seconds).toFixed(0)} tenants/s; ${failures} failed requests`,
  );
  return [
    kit.row({
      name: `heap after ${kit.format(tenants)} tenants through a ${kit.format(BOUND)}-tenant bound vs after the first ${kit.format(BOUND)}`,
      value: heapAtEnd / heapAtBound,
      unit: "x",
      goal: ["<=", TARGET],
      ...(failures === 0 ? {} : { failed: `${failures} requests failed` }),
    }),
  ];
}
