// What a cache hit of `cached` costs, and what a lookup among 10,000 tenants costs against a plain Map of promises
// holding the same 10,000 tenants (the honest floor: a Map pays the same memory latency). Contenders run in
// alternating rounds in the same process; the ratios compare medians of the rounds.
import { ApiKey, cached, staticKey } from "@oncekey/core";

const TENANTS = 10_000;

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function cachedGetKey(kit) {
  const rounds = kit.intFromEnv("BENCH_ROUNDS", kit.quick ? 2 : 9);
  const iterations = kit.intFromEnv("BENCH_ITERATIONS", kit.quick ? 50_000 : 500_000);
  const warmupRounds = kit.quick ? 1 : 3;

  /** A per-tenant source, as a user's own provider would be: one key per tenant. */
  const perTenant = {
    name: "bench",
    getKey: (request) =>
      Promise.resolve(ApiKey.from(`bench-key-${request?.tenant ?? "none"}`, { source: "bench" })),
  };
  const rawKey = ApiKey.from("bench-key-single", { source: "bench" });
  const single = cached(staticKey("bench-key-single"));
  await single.getKey();

  const requests = Array.from({ length: TENANTS }, (_, i) => ({
    tenant: `tenant-${String(i).padStart(5, "0")}`,
  }));
  const shuffled = [...requests];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const heapUsed = () => {
    kit.collectGarbage();
    return process.memoryUsage().heapUsed;
  };
  const heapBefore = heapUsed();
  const manyTenants = cached(perTenant, { maxTenants: TENANTS });
  for (const request of requests) await manyTenants.getKey(request);
  const bytesPerTenant = (heapUsed() - heapBefore) / TENANTS;
  const plainMap = new Map(
    requests.map(({ tenant }) => [
      tenant,
      Promise.resolve(ApiKey.from(`bench-key-${tenant}`, { source: "bench" })),
    ]),
  );

  kit.title(
    `cached getKey: ${kit.format(iterations)} awaited calls per sample, ${rounds} rounds after ${warmupRounds} warm-up`,
  );
  // Each loop is its own function so every call site stays monomorphic; only the awaited expression differs.
  const contenders = {
    "await Promise.resolve(x)": async (n) => {
      for (let i = 0; i < n; i++) await Promise.resolve(rawKey);
    },
    "await cached(...).getKey()": async (n) => {
      for (let i = 0; i < n; i++) await single.getKey();
    },
    "cached, 10,000 tenants, random order": async (n) => {
      for (let i = 0; i < n; i++) await manyTenants.getKey(shuffled[i % TENANTS]);
    },
    "plain Map of promises, 10,000 tenants, random order": async (n) => {
      for (let i = 0; i < n; i++) await plainMap.get(shuffled[i % TENANTS].tenant);
    },
    "cached, 10,000 tenants, round-robin": async (n) => {
      for (let i = 0; i < n; i++) await manyTenants.getKey(requests[i % TENANTS]);
    },
    "plain Map of promises, 10,000 tenants, round-robin": async (n) => {
      for (let i = 0; i < n; i++) await plainMap.get(requests[i % TENANTS].tenant);
    },
  };
  const samples = await kit.alternate(contenders, {
    rounds,
    warmupRounds,
    sample: async (_name, loop) => {
      kit.collectGarbage();
      const start = process.hrtime.bigint();
      await loop(iterations);
      return Number(process.hrtime.bigint() - start) / iterations;
    },
  });
  kit.table([
    ["contender", "ns/op (median)", "spread"],
    ...[...samples].map(([name, values]) => [name, kit.format(kit.median(values), 1), kit.spread(values)]),
  ]);
  console.log(`heap per cached tenant: ~${kit.format(bytesPerTenant)} bytes`);

  const ratio = (a, b) => kit.median(samples.get(a)) / kit.median(samples.get(b));
  return [
    kit.row({
      name: "cached key hit vs await Promise.resolve(x)",
      value: ratio("await cached(...).getKey()", "await Promise.resolve(x)"),
      unit: "x",
      goal: ["<=", 3],
    }),
    kit.row({
      name: "cached getKey among 10,000 tenants, random order, vs a plain Map of promises",
      value: ratio(
        "cached, 10,000 tenants, random order",
        "plain Map of promises, 10,000 tenants, random order",
      ),
      unit: "x",
      goal: ["<=", 1.25],
    }),
    kit.row({
      name: "cached getKey among 10,000 tenants, round-robin, vs a plain Map of promises",
      value: ratio(
        "cached, 10,000 tenants, round-robin",
        "plain Map of promises, 10,000 tenants, round-robin",
      ),
      unit: "x",
      goal: ["<=", 1.25],
    }),
  ];
}
