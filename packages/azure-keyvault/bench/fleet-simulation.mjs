// Simulates the Key Vault secret reads of a fleet of instances serving many tenants, one secret per tenant,
// under the read policies of @oncekey/azure-keyvault, and compares the busiest 10-second window with Key Vault's
// published limit. Plain Node, no dependencies; see docs/azure-keyvault-fleet.md for the model.
//
//   node bench/fleet-simulation.mjs                      the table of docs/azure-keyvault-fleet.md
//   node bench/fleet-simulation.mjs --instances 40 --tenants 5000 --rate 0.05 --minutes 60 --seed 7
//
// Model: every instance starts at t = 0 with an empty cache. Tenant t sends requests at `rate` per second
// (Poisson), spread evenly over the instances by the load balancer. An instance reads a tenant's secret when a
// request for that tenant finds no usable key in its cache:
// - default: the first request (cold), and the first request after OnceHub rejected the key (a rotation);
// - ttl: also the first request after the key's TTL, shortened by up to `jitter` at random;
// - refresh-ahead: the default, plus one read per tenant it has seen, every `interval`, on a timer.
// Rotations: each tenant rotates its key every `rotationDays` on average, at a random time.

import { URL } from "node:url";

const KEY_VAULT_LIMIT = 4_000; // secret transactions per 10 s, per vault per region (see the doc)
const WINDOW_MS = 10_000;

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, "")] = Number(argv[i + 1]);
  return args;
}

/** mulberry32: a small seeded PRNG, so every run of the same parameters gives the same numbers. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Returns the number of vault reads in each 10-second window of the simulated time.
 * @param {{ instances: number, tenants: number, rate: number, minutes: number, seed: number, rotationDays: number,
 *   policy: { kind: "default" } | { kind: "ttl", ttlMs: number, jitter: number } | { kind: "refresh-ahead", intervalMs: number } }} p
 */
export function simulate(p) {
  const rnd = random(p.seed);
  const durationMs = p.minutes * 60_000;
  const windows = new Float64Array(Math.ceil(durationMs / WINDOW_MS));
  const count = (t) => {
    if (t < durationMs) windows[Math.floor(t / WINDOW_MS)] += 1;
  };
  const perPairRatePerMs = p.rate / p.instances / 1000;
  const nextArrival = (after) => after - Math.log(1 - rnd()) / perPairRatePerMs;
  const rotationProbability = durationMs / (p.rotationDays * 86_400_000);

  for (let tenant = 0; tenant < p.tenants; tenant += 1) {
    const rotatesAt = rnd() < rotationProbability ? rnd() * durationMs : Infinity;
    for (let instance = 0; instance < p.instances; instance += 1) {
      let t = nextArrival(0);
      if (t >= durationMs) continue; // this instance never sees the tenant
      count(t); // cold read
      // A rotation is noticed on the first request after it (a 401, then one reload).
      if (rotatesAt < durationMs) count(nextArrival(Math.max(rotatesAt, t)));
      if (p.policy.kind === "ttl") {
        for (let guard = 0; guard < 100_000; guard += 1) {
          const expires = t + p.policy.ttlMs * (1 - p.policy.jitter * rnd());
          t = nextArrival(expires);
          if (t >= durationMs) break;
          count(t);
        }
      } else if (p.policy.kind === "refresh-ahead") {
        // Polls on the instance's timer, whose phase is random; each poll is one read per tenant seen.
        const phase = rnd() * p.policy.intervalMs;
        const firstPoll = phase + Math.ceil((t - phase) / p.policy.intervalMs) * p.policy.intervalMs;
        for (let poll = firstPoll; poll < durationMs; poll += p.policy.intervalMs) count(poll);
      }
    }
  }
  return windows;
}

/** Summarises a run: the busiest window of the first hour (the cold start) and of the rest (steady state). */
export function summarise(windows, warmupMs = 60 * 60_000) {
  const warm = Math.floor(warmupMs / WINDOW_MS);
  const steady = Array.from(windows.subarray(warm));
  return {
    total: windows.reduce((sum, n) => sum + n, 0),
    coldPeak: Math.max(...windows.subarray(0, warm)),
    steadyPeak: steady.length ? Math.max(...steady) : 0,
    steadyMean: steady.length ? steady.reduce((sum, n) => sum + n, 0) / steady.length : 0,
  };
}

const POLICIES = {
  "default (no TTL)": { kind: "default" },
  "ttlMs 15 min, jitter 0.2": { kind: "ttl", ttlMs: 15 * 60_000, jitter: 0.2 },
  "ttlMs 5 min, jitter 0.2": { kind: "ttl", ttlMs: 5 * 60_000, jitter: 0.2 },
  "refreshAheadMs 5 min": { kind: "refresh-ahead", intervalMs: 5 * 60_000 },
};

/** The steady-state mean per 10 s that the model predicts in closed form, to check the simulation against. */
export function formula(p) {
  const pairs = p.instances * p.tenants;
  const meanGapMs = (1000 * p.instances) / p.rate; // between two requests of one tenant at one instance
  const rotations = (pairs * WINDOW_MS) / (p.rotationDays * 86_400_000);
  if (p.policy.kind === "ttl")
    return (pairs * WINDOW_MS) / (p.policy.ttlMs * (1 - p.policy.jitter / 2) + meanGapMs);
  if (p.policy.kind === "refresh-ahead") return (pairs * WINDOW_MS) / p.policy.intervalMs + rotations;
  return rotations;
}

function verdict(peak) {
  return peak <= KEY_VAULT_LIMIT
    ? `${((peak / KEY_VAULT_LIMIT) * 100).toFixed(0)}% of limit`
    : "**over the limit**";
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const base = {
    rate: args.rate ?? 0.05,
    minutes: args.minutes ?? 240,
    seed: args.seed ?? 1,
    rotationDays: args.rotationDays ?? 90,
  };
  const fleets =
    args.instances !== undefined || args.tenants !== undefined
      ? [[args.instances ?? 20, args.tenants ?? 1_000]]
      : [
          [10, 1_000],
          [10, 10_000],
          [50, 1_000],
          [50, 10_000],
        ];
  console.log(
    `Key Vault reads per 10 s; ${base.rate} requests/s per tenant, ${base.minutes} min simulated, ` +
      `rotation every ${base.rotationDays} days, seed ${base.seed}; cold start = first hour, steady = the rest; ` +
      `limit ${KEY_VAULT_LIMIT} per 10 s per vault.\n`,
  );
  console.log(
    "| instances x tenants | policy | cold-start peak | steady peak | steady mean | formula mean | steady peak vs limit |",
  );
  console.log("| --- | --- | ---: | ---: | ---: | ---: | --- |");
  for (const [instances, tenants] of fleets) {
    for (const [label, policy] of Object.entries(POLICIES)) {
      const params = { ...base, instances, tenants, policy };
      const s = summarise(simulate(params));
      console.log(
        `| ${instances} x ${tenants.toLocaleString("en-US")} | ${label} | ${s.coldPeak} | ${s.steadyPeak} | ` +
          `${s.steadyMean.toFixed(1)} | ${formula(params).toFixed(1)} | ${verdict(s.steadyPeak)} |`,
      );
    }
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main();
