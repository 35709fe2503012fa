import { setMaxListeners } from "node:events";
import { describe, expect, it } from "@jest/globals";
import { eventually, rejectionOf, useSandbox, withClient } from "@oncekey/test-support";
import { performance } from "node:perf_hooks";
import { type OnceHubClientOptions, type OnceKeyEvent, staticKey } from "../../../src/index.js";
import { waitForBudget, windowLimit } from "../../../src/source.js";
import { MemoryPacingStore } from "../../../src/transport/pacing/memory-pacing.js";
import type { Budget, PacingAnswer } from "../../../src/transport/pacing/pacing-store.js";
import { mutableKeys } from "../mutable-keys.js";

const sandbox = useSandbox();

/** The in-process store, noting whose request it let go each time: the order of the turns. */
class TurnLog extends MemoryPacingStore {
  readonly turns: string[] = [];

  override take(budgets: readonly Budget[]): PacingAnswer {
    const answer = super.take(budgets);
    if (answer.granted) this.turns.push(budgets.at(-1)?.name ?? "");
    return answer;
  }
}

/**
 * A client of two tenants' accounts whose binding budget is a small egress, one request per 200 ms (the accounts'
 * own are far above it), in a store of its own, so no other test's requests count against it.
 */
function twoTenants(onEvent: (event: OnceKeyEvent) => void): {
  options: OnceHubClientOptions;
  keys: { a: string; b: string };
  store: TurnLog;
} {
  const store = new TurnLog();
  const a = sandbox().accounts.create("busy@example.com").key;
  const b = sandbox().accounts.create("quiet@example.com").key;
  const keys = mutableKeys();
  keys.set(a, "a");
  keys.set(b, "b");
  return {
    options: {
      keys: keys.provider,
      baseUrl: sandbox().baseUrl,
      ca: sandbox().ca,
      retry: false,
      pacing: {
        requestsPerSecond: 1_000,
        burst: 1_000,
        egress: { requests: 1, windowMs: 200 },
        store,
      },
      // 1,000 calls at 5 per second: the last one's turn is 200 s away, past the default deadline of 60 s.
      timeouts: { totalMs: 600_000 },
      onEvent,
    },
    keys: { a, b },
    store,
  };
}

describe("OnceHubClient pacing over a shared egress budget", () => {
  describe("while one tenant keeps 1,000 calls queued", () => {
    it("serves another tenant's single call within (waiting tenants + 1) slots", async () => {
      const events: OnceKeyEvent[] = [];
      const { options, store } = twoTenants((event) => events.push(event));
      await withClient(options, async (client) => {
        const stop = new AbortController();
        setMaxListeners(2_000, stop.signal);
        const busy = Array.from({ length: 1_000 }, () =>
          client
            .forTenant("a")
            .test({ signal: stop.signal })
            .catch(() => undefined),
        );
        await eventually(() => events.some((e) => e.type === "paced" && e.budget === "egress"), {
          what: "tenant a queued for the egress",
        });
        const before = store.turns.length;
        await client.forTenant("b").test();
        const position = store.turns.indexOf("account:b") - before + 1;
        stop.abort(new Error("enough"));
        await Promise.all(busy);
        // Two tenants wait (a and b): b's call is among the next 3 requests to leave (2 waiting tenants + 1).
        expect(position).toBeGreaterThanOrEqual(1);
        expect(position).toBeLessThanOrEqual(3);
        expect(store.turns.slice(0, before).every((turn) => turn === "account:a")).toBe(true);
      });
    });
  });

  describe("when a call's timeout would end before its turn", () => {
    it("fails with a RateLimitError that says how long it would have waited, and sends nothing", async () => {
      const { options } = twoTenants(() => undefined);
      await withClient(
        {
          ...options,
          pacing: {
            requestsPerSecond: false,
            egress: { requests: 1, windowMs: 30_000 },
            store: new MemoryPacingStore(),
          },
        },
        async (client) => {
          await client.forTenant("a").test();
          const sent = sandbox().requests.size;
          const error = await rejectionOf(client.forTenant("b").test({ signal: AbortSignal.timeout(50) }));
          expect(error).toMatchObject({
            code: "RATE_LIMIT",
            status: 429,
            tenant: "b",
            retryAfterMs: expect.any(Number),
            message: expect.stringMatching(/would have waited about \d+ ms more for the egress rate budget/),
          });
          expect((error as { cause: DOMException }).cause.name).toBe("TimeoutError");
          expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(25_000);
          expect(sandbox().requests.size).toBe(sent);
        },
      );
    });
  });

  describe("when a call's deadline would pass before its turn", () => {
    it("fails at once with a RateLimitError that says how long it would have waited, and sends nothing", async () => {
      const { options } = twoTenants(() => undefined);
      await withClient(
        {
          ...options,
          pacing: {
            requestsPerSecond: false,
            egress: { requests: 1, windowMs: 30_000 },
            store: new MemoryPacingStore(),
          },
          timeouts: { totalMs: 1_000 },
        },
        async (client) => {
          await client.forTenant("a").test();
          const sent = sandbox().requests.size;
          const error = await rejectionOf(client.forTenant("b").test());
          expect(error).toMatchObject({
            code: "RATE_LIMIT",
            retryAfterMs: expect.any(Number),
            message: expect.stringMatching(
              /would have waited about \d+ ms more for the egress .* past its deadline/,
            ),
          });
          expect((error as { cause?: unknown }).cause).toBeUndefined();
          expect(sandbox().requests.size).toBe(sent);
        },
      );
    });
  });

  describe("while one client's egress window is full", () => {
    /** Two clients of one account in one store: `a` paces its egress at one request a minute, `b` has none. */
    function fullEgress(): { a: OnceHubClientOptions; b: OnceHubClientOptions; store: MemoryPacingStore } {
      const store = new MemoryPacingStore();
      const key = sandbox().accounts.create("full-egress@example.com").key;
      const base = {
        keys: staticKey(key),
        baseUrl: sandbox().baseUrl,
        ca: sandbox().ca,
        retry: false as const,
      };
      return {
        a: {
          ...base,
          pacing: { egress: { requests: 1, windowMs: 60_000 }, store },
          timeouts: { totalMs: 600_000 },
        },
        b: { ...base, pacing: { egress: false, store } },
        store,
      };
    }

    it("lets a client without egress pacing and a Key Vault read go at once, past a call queued for it", async () => {
      const { a, b, store } = fullEgress();
      const events: OnceKeyEvent[] = [];
      await withClient({ ...a, onEvent: (event) => events.push(event) }, async (first) => {
        await withClient(b, async (second) => {
          await first.test();
          const stop = new AbortController();
          const queued = first.test({ signal: stop.signal }).catch((error: unknown) => error);
          await eventually(() => events.some((e) => e.type === "paced" && e.budget === "egress"), {
            what: "the second call queued for the egress",
          });
          await expect(Promise.all([second.test(), second.test()])).resolves.toHaveLength(2);
          const vault = { name: "vault:kv.vault.azure.net", limit: windowLimit(4_000, 10_000) };
          const slot = await waitForBudget(vault, { store, deadlineAt: performance.now() + 5_000 });
          slot.started();
          slot.finished();
          // The egress call is still queued: the others went past it, not after it.
          stop.abort(new Error("enough"));
          await expect(queued).resolves.toMatchObject({ message: "enough" });
        });
      });
    });

    it("holds nothing back with a call refused at once for it", async () => {
      const { a, b } = fullEgress();
      await withClient({ ...a, timeouts: { totalMs: 1_000 } }, async (first) => {
        await withClient(b, async (second) => {
          await first.test();
          await expect(first.test()).rejects.toMatchObject({ code: "RATE_LIMIT" });
          // Past the account's burst of 5: the later calls wait for the account's budget, never the egress.
          const results = await Promise.allSettled(Array.from({ length: 7 }, () => second.test()));
          expect(results.filter((result) => result.status === "rejected")).toEqual([]);
        });
      });
    });
  });
});
