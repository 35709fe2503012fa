import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, jest } from "@jest/globals";
import { rejectionOf } from "@oncekey/test-support";
import { MemoryPacingStore } from "../../../src/transport/pacing/memory-pacing.js";
import { PacingScheduler, type WaitOptions } from "../../../src/transport/pacing/pacing-scheduler.js";
import type { Budget, PacingGrant } from "../../../src/transport/pacing/pacing-store.js";
import { windowLimit } from "../../../src/transport/pacing/window-limit.js";

const account = (name: string, perSecond: number, burst: number): Budget => ({
  name,
  limit: { kind: "rate", perSecond, burst },
});

function setup() {
  const store = new MemoryPacingStore();
  const scheduler = new PacingScheduler(store);
  const queued: number[] = [];
  const options = (extra: Partial<WaitOptions> = {}): WaitOptions => ({
    signal: undefined,
    deadlineAt: undefined,
    onQueued: (call) => queued.push(call.waitMs),
    onMissed: (missed, cause) =>
      Object.assign(new Error(`missed ${missed.budget}`), { missed, cause, code: "RATE_LIMIT" }),
    ...extra,
  });
  /** Takes at once when nobody waits and the store has room, else queues: what a client does. */
  const take = async (
    tenant: string,
    budgets: Budget[],
    extra?: Partial<WaitOptions>,
  ): Promise<PacingGrant> => {
    if (scheduler.mayGoNow(tenant, budgets)) {
      const answer = store.take(budgets);
      if (answer.granted) return answer;
      return scheduler.wait(tenant, budgets, answer, options(extra));
    }
    return scheduler.wait(tenant, budgets, undefined, options(extra));
  };
  return { store, scheduler, take, queued };
}

describe(PacingScheduler.name, () => {
  describe("when calls queue for one tenant's budget", () => {
    it("releases a queued call as soon as the last request before it reaches the wire", async () => {
      const { store, scheduler, take } = setup();
      const budgets = [account("a", 1_000, 1)];
      const first = await take("a", budgets);
      let released = false;
      const second = take("a", budgets).then(() => (released = true));
      await sleep(20);
      expect(released).toBe(false);
      store.started(first);
      scheduler.settled("a");
      await second;
      expect(released).toBe(true);
    });

    it("releases them in order and skips those whose signal aborted", async () => {
      const { store, scheduler, take } = setup();
      const budgets = [account("a", 1_000, 1)];
      store.started(await take("a", budgets));
      const order: number[] = [];
      const controller = new AbortController();
      const waits = [0, 1, 2].map((i) =>
        take("a", budgets, i === 1 ? { signal: controller.signal } : {}).then((grant) => {
          store.started(grant);
          scheduler.settled("a");
          order.push(i);
        }),
      );
      const reason = new Error("gave up");
      controller.abort(reason);
      const settled = await Promise.allSettled(waits);
      expect(order).toEqual([0, 2]);
      expect(settled[1]).toEqual({ status: "rejected", reason });
    });

    it("keeps no timer once every call waiting has given up", async () => {
      const { store, scheduler, take } = setup();
      const budgets = [account("a", 1, 1)];
      store.started(await take("a", budgets));
      const controllers = [new AbortController(), new AbortController()];
      const waits = controllers.map((c) => take("a", budgets, { signal: c.signal }));
      expect(scheduler.isIdle()).toBe(false);
      controllers.forEach((c) => c.abort(new Error("gone")));
      await Promise.allSettled(waits);
      // Nothing would keep the process alive for a release nobody waits for.
      expect(scheduler.isIdle()).toBe(true);
    });

    it("releases at most the burst at once after the event loop stalled", async () => {
      const { store, scheduler, take } = setup();
      const budgets = [account("a", 100, 2)];
      store.started(await take("a", budgets));
      store.started(await take("a", budgets));
      let released = 0;
      const waits = Array.from({ length: 6 }, () =>
        take("a", budgets).then((grant) => {
          released++;
          store.started(grant);
          scheduler.settled("a");
        }),
      );
      const stallUntil = performance.now() + 200;
      while (performance.now() < stallUntil) {
        // A blocked event loop: the bucket would have refilled 20 tokens, but holds 2.
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(released).toBe(2);
      await Promise.all(waits);
      expect(released).toBe(6);
    });

    it("estimates each wait from the calls ahead of it", async () => {
      const { store, take, queued } = setup();
      const budgets = [account("a", 5, 1)];
      store.started(await take("a", budgets));
      const waits = [0, 1, 2].map(() => take("a", budgets).then((grant) => store.started(grant)));
      expect(queued).toEqual([200, 400, 600].map((ms) => expect.closeTo(ms, -1)));
      await Promise.all(waits);
    });
  });

  describe("when a budget every tenant shares is short", () => {
    it("serves the waiting tenants in turn, so one tenant's backlog never holds another's call back", async () => {
      const { store, take } = setup();
      // The egress: 1 request per 20 ms on average; accounts with room to spare.
      const egress: Budget = { name: "egress", limit: windowLimit(1, 20) };
      const budgetsOf = (tenant: string): Budget[] => [egress, account(tenant, 1_000, 1_000)];
      const served: string[] = [];
      const go = (tenant: string) =>
        take(tenant, budgetsOf(tenant)).then((grant) => {
          store.started(grant);
          served.push(tenant);
        });
      const busy = Array.from({ length: 30 }, () => go("busy"));
      await sleep(30);
      const before = served.length;
      const others = [go("a"), go("b")];
      await Promise.all([...busy, ...others]);
      // Three tenants wait (busy, a, b): each of a and b is served within 3 + 1 slots of joining.
      expect(before).toBeLessThan(30);
      expect(served.indexOf("a") - before + 1).toBeLessThanOrEqual(4);
      expect(served.indexOf("b") - before + 1).toBeLessThanOrEqual(4);
    });

    it("keeps the turns of the tenants it holds while it serves calls that do not take from it", async () => {
      const { store, take } = setup();
      const egress: Budget = { name: "egress", limit: windowLimit(1, 20) };
      const served: string[] = [];
      const go = (tenant: string, budgets: Budget[]) =>
        take(tenant, budgets).then((grant) => {
          store.started(grant);
          store.finished(grant, true);
          served.push(tenant);
        });
      const paced = ["a", "b", "c"].flatMap((tenant) =>
        Array.from({ length: 6 }, () => go(tenant, [egress, account(tenant, 1_000, 1_000)])),
      );
      // A tenant without the egress, its calls spread over the egress's turns (two per 10 ms).
      const local = Array.from({ length: 12 }, (_, i) =>
        sleep(i * 10).then(() =>
          Promise.all([go("local", [account("local", 100, 1)]), go("local", [account("local", 100, 1)])]),
        ),
      );
      await Promise.all([...paced, ...local]);
      const turns = served.filter((tenant) => tenant !== "local");
      // In turn: after a's first call, which went at once, the rounds of egress slots go to a, b and c.
      for (let i = 1; i + 3 <= 16; i += 3) {
        expect(new Set(turns.slice(i, i + 3)).size).toBe(3);
      }
    });

    it("refuses at once a call whose deadline its turn would pass, saying how long it would wait", async () => {
      const { take } = setup();
      const egress: Budget = { name: "egress", limit: windowLimit(1, 60_000) };
      await take("a", [egress]);
      const error = await rejectionOf(take("b", [egress], { deadlineAt: performance.now() + 1_000 }));
      expect(error).toMatchObject({
        code: "RATE_LIMIT",
        missed: { budget: "egress", waitedMs: 0, remainingMs: expect.any(Number) },
      });
      expect((error as unknown as { missed: { remainingMs: number } }).missed.remainingMs).toBeGreaterThan(
        50_000,
      );
    });

    it("ends a wait whose timeout signal fires before its turn with the missed-turn error, its cause the timeout", async () => {
      const { take, scheduler } = setup();
      const egress: Budget = { name: "egress", limit: windowLimit(1, 60_000) };
      await take("a", [egress]);
      const error = await rejectionOf(take("b", [egress], { signal: AbortSignal.timeout(20) }));
      expect(error).toMatchObject({ code: "RATE_LIMIT", cause: { name: "TimeoutError" } });
      expect(scheduler.isIdle()).toBe(true);
    });
  });

  describe("waits longer than a Node timer holds (about 24.8 days)", () => {
    it("do not make pacing at a tiny rate spin", async () => {
      const { take } = setup();
      const budgets = [account("a", 1e-9, 1)];
      await take("a", budgets);
      const spy = jest.spyOn(globalThis, "setTimeout");
      const controller = new AbortController();
      try {
        const wait = take("a", budgets, { signal: controller.signal }).catch(() => undefined);
        controller.abort(new Error("done"));
        await wait;
        const delays = spy.mock.calls.map((call) => Number(call[1]));
        expect(delays.length).toBeGreaterThan(0);
        expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
      } finally {
        spy.mockRestore();
      }
    });
  });
});
