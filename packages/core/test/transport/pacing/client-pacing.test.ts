import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { keyFingerprint, startSandbox, type Sandbox } from "@oncekey/sandbox";
import {
  OnceHubClient,
  type OnceHubClientOptions,
  type OnceKeyEvent,
  type PacingStore,
  staticKey,
} from "../../../src/index.js";
import { type PacedEvent } from "../../../src/source.js";
import { mutableKeys } from "../mutable-keys.js";
import { eventually, rejectionOf, trackUnhandledRejections, withClient } from "@oncekey/test-support";
import { performance } from "node:perf_hooks";
import { MemoryPacingStore } from "../../../src/transport/pacing/memory-pacing.js";

let fast: Sandbox;
let standard: Sandbox;

beforeAll(async () => {
  [fast, standard] = await Promise.all([
    startSandbox({ rateLimit: { requestsPerSecond: 50, burst: 5 } }),
    // OnceHub's 5 per second; 190 ms of tolerance (under one 200 ms token) for a first request the loaded test
    // process handles late, which puts the sandbox's bucket behind the client's.
    startSandbox({ retryAfter: true, rateLimit: { requestsPerSecond: 5, toleranceMs: 190 } }),
  ]);
});

afterAll(async () => {
  await Promise.all([fast.close(), standard.close()]);
});

function options(
  sandbox: Sandbox,
  key: string,
  extra: Partial<OnceHubClientOptions> = {},
): OnceHubClientOptions {
  return { keys: staticKey(key), baseUrl: sandbox.baseUrl, ca: sandbox.ca, retry: false, ...extra };
}

describe("OnceHubClient pacing", () => {
  describe("when a burst of 100 calls is made with pacing at the account's limit", () => {
    it("completes every call without a single 429", async () => {
      const account = fast.accounts.create("burst@example.com");
      await withClient(
        options(fast, account.key, { pacing: { requestsPerSecond: 50, burst: 5, egress: false } }),
        async (client) => {
          fast.requests.clear();
          const results = await Promise.allSettled(Array.from({ length: 100 }, () => client.test()));
          expect(results.filter((r) => r.status === "rejected")).toEqual([]);
          expect(fast.requests.count({ fingerprint: keyFingerprint(account.key), status: 429 })).toBe(0);
          expect(fast.requests.count({ fingerprint: keyFingerprint(account.key), status: 200 })).toBe(100);
        },
      );
    });
  });

  describe("with the defaults (5 requests per second, burst 5) against OnceHub's limit", () => {
    it("paces the calls beyond the burst, reports each wait, and gets no 429", async () => {
      const account = standard.accounts.create("defaults@example.com");
      const paced: PacedEvent[] = [];
      const client = new OnceHubClient(
        options(standard, account.key, {
          onEvent: (event: OnceKeyEvent) => {
            if (event.type === "paced") paced.push(event);
          },
        }),
      );
      try {
        const start = Date.now();
        await expect(Promise.all(Array.from({ length: 11 }, () => client.test()))).resolves.toHaveLength(11);
        expect(standard.requests.count({ fingerprint: keyFingerprint(account.key), status: 429 })).toBe(0);
        // The eleven calls reach the pacer within a millisecond, unless the machine stalls the process: each 200 ms
        // of such a stall refills one more token, so one fewer call waits and the last wait is 200 ms shorter.
        const refilled = Math.floor(((paced.at(-1)?.time ?? start) - start) / 200);
        expect(paced.length).toBeLessThanOrEqual(6);
        expect(paced.length).toBeGreaterThanOrEqual(6 - refilled);
        expect(paced.every((event) => event.fingerprint === keyFingerprint(account.key))).toBe(true);
        expect(Math.max(...paced.map((event) => event.waitMs))).toBeGreaterThanOrEqual(
          1_000 - 200 * refilled,
        );
      } finally {
        await client.close();
      }
    });

    it("shares one bucket per key between the clients of the process and their tenants", async () => {
      const account = standard.accounts.create("shared@example.com");
      const keys = mutableKeys(account.key);
      keys.set(account.key, "acme");
      const first = new OnceHubClient({ ...options(standard, account.key), keys: keys.provider });
      const second = new OnceHubClient(options(standard, account.key));
      try {
        const calls = Array.from({ length: 11 }, (_, i) =>
          i % 3 === 0 ? first.test() : i % 3 === 1 ? first.forTenant("acme").test() : second.test(),
        );
        await expect(Promise.all(calls)).resolves.toHaveLength(11);
        expect(standard.requests.count({ fingerprint: keyFingerprint(account.key), status: 429 })).toBe(0);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });
  });

  describe("when many tenants fire at once through a cold, small pool", () => {
    it("counts each request when it reaches a socket, so queued requests do not bunch up into a 429", async () => {
      // 20 tenants x 10 concurrent calls share 8 connections: requests wait for a connection after pacing
      // released them, and then reach OnceHub together unless pacing accounts for the wait.
      const tenants = Array.from({ length: 20 }, (_, i) => standard.accounts.create(`cold-${i}@example.com`));
      const keys = mutableKeys(tenants[0]?.key ?? "");
      tenants.forEach((account, i) => keys.set(account.key, `tenant-${i}`));
      await withClient(
        {
          ...options(standard, tenants[0]?.key ?? ""),
          keys: keys.provider,
          connections: 8,
          // The accounts' budgets only: 200 calls are all of the per-IP budget, which other tests used some of.
          pacing: { egress: false },
        },
        async (client) => {
          const calls = tenants.flatMap((_, i) =>
            Array.from({ length: 10 }, () => client.forTenant(`tenant-${i}`).test()),
          );
          const results = await Promise.allSettled(calls);
          expect(results.filter((r) => r.status === "rejected")).toEqual([]);
          for (const account of tenants) {
            expect(standard.requests.count({ fingerprint: keyFingerprint(account.key), status: 429 })).toBe(
              0,
            );
          }
        },
      );
    });
  });

  describe("when pacing is turned off", () => {
    it("lets a burst through, and OnceHub's rate limit answers 429", async () => {
      const account = standard.accounts.create("unpaced@example.com");
      await withClient(options(standard, account.key, { pacing: false }), async (client) => {
        const results = await Promise.allSettled(Array.from({ length: 11 }, () => client.test()));
        const refused = results.filter((r) => r.status === "rejected");
        expect(refused.length).toBeGreaterThan(0);
        expect(refused[0]).toMatchObject({
          reason: { code: "RATE_LIMIT", retryAfterMs: expect.any(Number) },
        });
      });
    });
  });

  describe("when the store's take throws or rejects", () => {
    it("sends the calls once it answers again, and tells the client's listener, with no unhandled rejection", async () => {
      const account = fast.accounts.create("failing-store@example.com");
      const memory = new MemoryPacingStore();
      let takes = 0;
      const store: PacingStore = {
        name: "flaky",
        take: (budgets) => {
          takes++;
          if (takes === 1) throw new TypeError("store broke");
          if (takes <= 3) return Promise.reject(new Error("store broke"));
          return memory.take(budgets);
        },
        started: (grant) => memory.started(grant),
        finished: (grant, sent) => memory.finished(grant, sent),
      };
      const events: OnceKeyEvent[] = [];
      const unhandled = trackUnhandledRejections();
      await withClient(
        options(fast, account.key, {
          pacing: { requestsPerSecond: 50, burst: 5, egress: false, store },
          onEvent: (event) => events.push(event),
        }),
        async (client) => {
          await expect(Promise.all([client.test(), client.test()])).resolves.toHaveLength(2);
        },
      );
      expect(await unhandled.stop()).toEqual([]);
      expect(events.filter((event) => event.type.startsWith("pacing:"))).toEqual([
        expect.objectContaining({ type: "pacing:fallback", store: "flaky", reason: "TypeError" }),
        expect.objectContaining({ type: "pacing:recovered", store: "flaky" }),
      ]);
    });
  });

  describe("while a shared store's answer is on its way", () => {
    it("ends the call when its signal aborts, and gives back the slot granted after it", async () => {
      const account = fast.accounts.create("slow-store@example.com");
      const memory = new MemoryPacingStore();
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let takes = 0;
      const store: PacingStore = {
        name: "slow",
        take: async (budgets) => {
          takes++;
          await gate;
          return memory.take(budgets);
        },
        started: (grant) => memory.started(grant),
        finished: (grant, sent) => memory.finished(grant, sent),
      };
      await withClient(
        options(fast, account.key, { pacing: { requestsPerSecond: 0.01, burst: 1, egress: false, store } }),
        async (client) => {
          const controller = new AbortController();
          const call = rejectionOf(client.test({ signal: controller.signal }));
          await eventually(() => takes === 1, { what: "the take sent" });
          const reason = new Error("gave up");
          controller.abort(reason);
          expect(await call).toBe(reason);
          release();
          const budget = { name: "account", limit: { kind: "rate" as const, perSecond: 0.01, burst: 1 } };
          await eventually(() => memory.waitMs(budget, performance.now()) === 0, {
            what: "the slot given back",
          });
        },
      );
    });
  });
});
