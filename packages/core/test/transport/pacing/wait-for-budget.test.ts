import { performance } from "node:perf_hooks";
import { describe, expect, it } from "@jest/globals";
import diagnostics from "node:diagnostics_channel";
import { rejectionOf, trackUnhandledRejections } from "@oncekey/test-support";
import { MemoryPacingStore } from "../../../src/transport/pacing/memory-pacing.js";
import type { OnceKeyEvent, PacingStore } from "../../../src/index.js";
import { type Budget, waitForBudget, windowLimit } from "../../../src/source.js";

describe(waitForBudget.name, () => {
  const vault: Budget = { name: "vault:myvault.vault.azure.net", limit: windowLimit(3, 200) };

  it("lets readers take from a named budget within its limit, the rest waiting their turn in order", async () => {
    const store = new MemoryPacingStore();
    const order: number[] = [];
    const take = (i: number) =>
      waitForBudget(vault, { store }).then((slot) => {
        slot.started();
        order.push(i);
      });
    await Promise.all([0, 1, 2].map(take));
    // The window is full: a fourth read waits for it to slide.
    expect(store.waitMs(vault, performance.now())).toBeGreaterThan(0);
    await Promise.all([3, 4].map(take));
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it("refuses at once a read whose deadline its turn would pass", async () => {
    const store = new MemoryPacingStore();
    const slow: Budget = { name: "vault:slow", limit: windowLimit(1, 60_000) };
    (await waitForBudget(slow, { store })).started();
    const error = await rejectionOf(waitForBudget(slow, { store, deadlineAt: performance.now() + 100 }));
    expect(error).toMatchObject({ code: "RATE_LIMIT", retryAfterMs: expect.any(Number) });
    expect(String((error as Error).message)).toContain("vault:slow");
  });

  it("takes nothing for a read whose signal aborted or whose deadline passed", async () => {
    const store = new MemoryPacingStore();
    const one: Budget = { name: "vault:aborted", limit: windowLimit(1, 60_000) };
    const reason = new Error("gone");
    await expect(waitForBudget(one, { store, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    const late = await rejectionOf(waitForBudget(one, { store, deadlineAt: performance.now() - 1 }));
    expect(late).toMatchObject({ code: "RATE_LIMIT", message: expect.stringContaining("past its deadline") });
    expect(store.waitMs(one, performance.now())).toBe(0);
  });

  it("gives a slot back when its request never left", async () => {
    const store = new MemoryPacingStore();
    const one: Budget = { name: "vault:one", limit: windowLimit(1, 60_000) };
    (await waitForBudget(one, { store })).finished(false);
    expect(store.waitMs(one, performance.now())).toBe(0);
  });

  it("is not held back by a refusal of a budget it does not take from", async () => {
    // A store whose egress is full for the next minute: an OnceHub call waits for it, a vault read does not.
    const store: PacingStore = {
      name: "full-egress",
      take: (budgets) =>
        budgets.some((budget) => budget.name === "account:a")
          ? { granted: false, budget: "egress", retryInMs: 60_000 }
          : { granted: true, slackMs: 0 },
    };
    const account: Budget = { name: "account:a", limit: { kind: "rate", perSecond: 5, burst: 5 } };
    const stop = new AbortController();
    const call = waitForBudget(account, { store, signal: stop.signal }).catch((error: unknown) => error);
    // Refused once, it queues after a turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    const slot = await waitForBudget(vault, { store, deadlineAt: performance.now() + 5_000 });
    slot.started();
    stop.abort(new Error("enough"));
    await expect(call).resolves.toMatchObject({ message: "enough" });
  });

  describe("when the store's take fails", () => {
    it("waits and asks again, reporting the failure and the recovery, with no unhandled rejection", async () => {
      const memory = new MemoryPacingStore();
      let takes = 0;
      const store: PacingStore = {
        name: "flaky",
        take: (budgets) => {
          takes++;
          if (takes === 1) return { granted: false, budget: vault.name, retryInMs: 5 };
          if (takes === 2) return Promise.reject(new Error("backend down"));
          if (takes === 3) throw Object.assign(new Error("backend down"), { code: "ECONNRESET" });
          if (takes === 4) return Promise.resolve(undefined as never);
          return memory.take(budgets);
        },
      };
      const events: OnceKeyEvent[] = [];
      const onEvent = (event: unknown): void => void events.push(event as OnceKeyEvent);
      diagnostics.subscribe("oncekey:pacing:fallback", onEvent);
      diagnostics.subscribe("oncekey:pacing:recovered", onEvent);
      const unhandled = trackUnhandledRejections();
      try {
        const slot = await waitForBudget(vault, { store, deadlineAt: performance.now() + 30_000 });
        slot.started();
        expect(takes).toBe(5);
        expect(await unhandled.stop()).toEqual([]);
        expect(events).toEqual([
          expect.objectContaining({ type: "pacing:fallback", store: "flaky", reason: "Error" }),
          expect.objectContaining({ type: "pacing:recovered", store: "flaky" }),
        ]);
        expect(JSON.stringify(events)).not.toContain("backend down");
      } finally {
        diagnostics.unsubscribe("oncekey:pacing:fallback", onEvent);
        diagnostics.unsubscribe("oncekey:pacing:recovered", onEvent);
      }
    });
  });
});
