// Issue 7 benchmark: memory of a multi-tenant client resolved from the container. 100,000 distinct tenants are
// streamed through one client whose key cache holds 10,000 (the default bound of `cached`); the heap after a full
// GC must stay within 1.2x of the heap after the first 10,000. Every tenant sends one real request to a sandbox
// in a child process (its own account and key); keys come from an in-memory provider (a map), not from files or
// a vault, so the source's own memory is not part of the measure. Run with `node --expose-gc` (pnpm bench).
import { fork } from "node:child_process";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { fileURLToPath, URL } from "node:url";
import { ApiKey, cached, KeyNotFoundError } from "@oncekey/core";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../dist/index.js";

const TENANTS = positive("BENCH_TENANTS", 100_000);
const BOUND = 10_000;
const IN_FLIGHT = positive("BENCH_IN_FLIGHT", 64);
const TARGET = 1.2;

function positive(name, fallback) {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${raw}`);
  return value;
}

if (globalThis.gc === undefined) {
  console.log("tenant memory: run with node --expose-gc (pnpm bench does); skipped.");
  process.exit(0);
}

function heapUsed() {
  // Several passes: weak references and finalizers (undici, lru-cache) free more on the second.
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const tenantId = (i) => `tenant-${i}`;

const child = fork(fileURLToPath(new URL("./sandbox-process.mjs", import.meta.url)), [String(TENANTS)], {
  serialization: "advanced",
});
const [{ baseUrl, ca, keys }] = await once(child, "message");

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
const oncekey = OnceKeyModule.fromOptions({ keys: cached(memory), baseUrl, ca });
container.load(oncekey); // inversify 8, the package's own (7 names these `loadSync` and `unload`)
const client = container.get(ONCEKEY.Client);

let failures = 0;
/** Sends one request per tenant in [from, to), `IN_FLIGHT` at a time. */
async function stream(from, to) {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const tenant = tenantId(next++);
      await client
        .forTenant(tenant)
        .test()
        .catch(() => failures++);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

// Warm up on tenants beyond the measured range, so connections, code and pools exist before the baseline.
await stream(0, Math.min(IN_FLIGHT * 4, TENANTS));
const baseline = heapUsed();

const rows = [];
const started = performance.now();
let heapAtBound = baseline;
for (let done = 0; done < TENANTS;) {
  const to = Math.min(TENANTS, done + BOUND);
  await stream(done, to);
  done = to;
  const heap = heapUsed();
  if (done === Math.min(BOUND, TENANTS)) heapAtBound = heap;
  rows.push([done.toLocaleString("en-US"), mb(heap), `${(heap / heapAtBound).toFixed(2)}x`]);
}
const seconds = (performance.now() - started) / 1000;
const heapAtEnd = heapUsed();

console.log(
  `\ntenant memory: ${TENANTS.toLocaleString("en-US")} tenants, one request each, through the container's client` +
    `\n(key cache bound ${BOUND.toLocaleString("en-US")}, the default; in-memory key source; sandbox in a child process)`,
);
console.log("=".repeat(100));
const table = [["tenants streamed", "heap after GC", "vs after 10,000"], ...rows];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
table.forEach((row, index) => {
  console.log(
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("   "),
  );
  if (index === 0) console.log(widths.map((w) => "-".repeat(w)).join("   "));
});
const ratio = heapAtEnd / heapAtBound;
const perTenant = (heapAtBound - baseline) / Math.min(BOUND, TENANTS);
console.log(
  `\nbaseline heap ${mb(baseline)}; ${Math.round(perTenant).toLocaleString("en-US")} bytes per cached tenant ` +
    "(everything the client keeps per tenant: key cache entry, usage counters, pacing state)",
);
console.log(`${(TENANTS / seconds).toFixed(0)} tenants/s; ${failures} failed requests`);
console.log(
  `\ngoal: heap after ${TENANTS.toLocaleString("en-US")} <= ${TARGET}x heap after ${BOUND.toLocaleString("en-US")}` +
    `   measured ${ratio.toFixed(2)}x   ${ratio <= TARGET && failures === 0 ? "PASS" : "MISS"}`,
);

await container.unloadAsync(oncekey);
child.send("close");
await once(child, "exit");
