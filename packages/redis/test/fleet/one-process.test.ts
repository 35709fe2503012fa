import { setMaxListeners } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { OnceHubClient, type KeyProvider, staticKey } from "@oncekey/core";
import { startSandbox, type Sandbox } from "@oncekey/sandbox";
import { busiestWindow } from "../support/busiest-window.js";

// OnceHub's per-IP limit scaled down (200 per 5 minutes -> 60 per 10 s) so a 30 s run spans three windows.
const EGRESS = { requests: 60, windowMs: 10_000 };
const TENANTS = 20;
const RUN_MS = 30_000;

let sandbox: Sandbox;

beforeAll(async () => {
  // The sandbox enforces both: OnceHub's 5 per second per account, and the per-IP limit scaled down.
  sandbox = await startSandbox({
    rateLimit: { requestsPerSecond: 5, toleranceMs: 190 },
    ipRateLimit: EGRESS,
  });
});

afterAll(async () => {
  await sandbox.close();
});

describe("one process, 20 tenants each calling as fast as it can, against both of OnceHub's limits", () => {
  it("gets no 429 and uses the per-IP budget to within 10 %", async () => {
    const keys = new Map<string, string>();
    for (let i = 0; i < TENANTS; i++) keys.set(`t${i}`, sandbox.accounts.create(`t${i}@example.com`).key);
    const provider: KeyProvider = {
      name: "tenants",
      getKey: (request) => staticKey(keys.get(request?.tenant ?? "") ?? "missing").getKey(),
    };
    const client = new OnceHubClient({
      keys: provider,
      baseUrl: sandbox.baseUrl,
      ca: sandbox.ca,
      pacing: { egress: EGRESS },
      retry: false,
    });
    const stop = new AbortController();
    // Every call of the run listens to this one signal.
    setMaxListeners(TENANTS * 4, stop.signal);
    let ok = 0;
    const failures: unknown[] = [];
    const started = Date.now();
    const timer = setTimeout(() => stop.abort(new Error("the run is over")), RUN_MS);
    try {
      await Promise.all(
        [...keys.keys()].flatMap((tenant) =>
          // Two calls in flight per tenant, each sent again as soon as it returns.
          [0, 1].map(async () => {
            while (!stop.signal.aborted) {
              try {
                await client.forTenant(tenant).test({ signal: stop.signal });
                ok++;
              } catch (error) {
                if (!stop.signal.aborted) failures.push(error);
              }
            }
          }),
        ),
      );
    } finally {
      clearTimeout(timer);
      await client.close();
    }
    const seconds = (Date.now() - started) / 1000;
    const budget = (EGRESS.requests * RUN_MS) / EGRESS.windowMs;
    process.stdout.write(
      `one process: ${ok} calls in ${seconds.toFixed(1)} s = ${((ok / budget) * 100).toFixed(1)} % of the per-IP ` +
        `budget (${budget}); busiest ${EGRESS.windowMs / 1000} s window ${busiestWindow(sandbox, EGRESS.windowMs)}\n`,
    );
    expect(failures).toEqual([]);
    expect(sandbox.rateLimited).toEqual({ account: 0, ip: 0 });
    expect(busiestWindow(sandbox, EGRESS.windowMs)).toBeLessThanOrEqual(EGRESS.requests);
    expect(Math.abs(ok - budget)).toBeLessThanOrEqual(budget * 0.1);
  }, 60_000);
});
