import { performance } from "node:perf_hooks";
import { describe, expect, it, jest } from "@jest/globals";
import { abortableDelay } from "../../src/transport/abortable-delay.js";
import { TokenBucket } from "../../src/transport/token-bucket.js";

/** Five tokens taken at once from a full bucket of five, then a refusal. */
const BURST_THEN_QUEUE = [true, true, true, true, true, false];

describe(TokenBucket.name, () => {
  describe("when the bucket is full", () => {
    it("serves the burst at once, then makes callers queue", () => {
      const bucket = new TokenBucket(5, 5, 0);
      expect(Array.from({ length: 6 }, () => bucket.tryTake(0))).toEqual(BURST_THEN_QUEUE);
      expect(bucket.estimateWait(0)).toBe(200);
    });
  });

  describe("when time passes", () => {
    it("refills at the rate, never above the burst", () => {
      const bucket = new TokenBucket(5, 5, 0);
      for (let i = 0; i < 5; i++) bucket.tryTake(0);
      for (let i = 0; i < 5; i++) bucket.started();
      expect(bucket.tryTake(200)).toBe(true);
      bucket.started();
      expect(bucket.isIdle(10_000)).toBe(true);
      expect(Array.from({ length: 6 }, () => bucket.tryTake(10_000))).toEqual(BURST_THEN_QUEUE);
    });
  });

  describe("when OnceHub refused a request or the first one reached the wire late", () => {
    it("holds the next requests back", () => {
      const drained = new TokenBucket(10, 5, 0);
      drained.drain(0);
      expect(drained.tryTake(0)).toBe(false);
      expect(drained.estimateWait(0)).toBe(100);
      const woken = new TokenBucket(10, 2, 0);
      expect(woken.tryTake(0)).toBe(true);
      expect(woken.slackMs).toBe(0);
      expect(woken.tryTake(0)).toBe(true);
      expect(woken.slackMs).toBe(100);
      woken.shift(50);
      expect(woken.estimateWait(0)).toBe(150);
    });
  });

  describe("when requests it released have not reached the wire yet", () => {
    it("lets a burst go together, but holds a refilled token until they have", () => {
      const bucket = new TokenBucket(5, 2, 0);
      expect([bucket.tryTake(0), bucket.tryTake(0)]).toEqual([true, true]);
      // 400 ms later two tokens refilled, yet both requests still wait for a connection: a third released now
      // could reach OnceHub together with them.
      expect(bucket.tryTake(400)).toBe(false);
      bucket.started();
      expect(bucket.tryTake(400)).toBe(false);
      bucket.abandoned();
      expect(bucket.tryTake(400)).toBe(true);
    });

    it("releases a queued caller as soon as the last of them reaches the wire", async () => {
      const bucket = new TokenBucket(1_000, 1, performance.now());
      expect(bucket.tryTake(performance.now())).toBe(true);
      let released = false;
      const wait = bucket.wait(undefined).then(() => (released = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(released).toBe(false);
      bucket.started();
      await wait;
      expect(released).toBe(true);
    });
  });

  describe("when callers queue", () => {
    it("releases them in order and skips those whose signal aborted", async () => {
      const bucket = new TokenBucket(1_000, 1, performance.now());
      expect(bucket.tryTake(performance.now())).toBe(true);
      bucket.started();
      const order: number[] = [];
      const controller = new AbortController();
      const waits = [0, 1, 2].map((i) =>
        bucket.wait(i === 1 ? controller.signal : undefined).then(() => {
          bucket.started();
          order.push(i);
        }),
      );
      const reason = new Error("gave up");
      controller.abort(reason);
      const settled = await Promise.allSettled(waits);
      expect(order).toEqual([0, 2]);
      expect(settled[1]).toEqual({ status: "rejected", reason });
      expect(bucket.tryTake(performance.now() + 10)).toBe(true);
    });

    it("keeps no timer once every caller waiting has given up", async () => {
      const bucket = new TokenBucket(1, 1, performance.now());
      bucket.tryTake(performance.now());
      bucket.started();
      const controllers = [new AbortController(), new AbortController()];
      const waits = controllers.map((c) => bucket.wait(c.signal));
      controllers.forEach((c) => c.abort(new Error("gone")));
      await Promise.allSettled(waits);
      // Idle means no timer: nothing would keep the process alive for a release nobody waits for.
      expect(bucket.isIdle(performance.now() + 10_000)).toBe(true);
    });

    it("releases at most the burst at once after the event loop stalled", async () => {
      const bucket = new TokenBucket(100, 2, performance.now());
      bucket.tryTake(performance.now());
      bucket.tryTake(performance.now());
      bucket.started();
      bucket.started();
      let released = 0;
      const waits = Array.from({ length: 6 }, () =>
        bucket.wait(undefined).then(() => {
          released++;
          bucket.started();
        }),
      );
      const stallUntil = performance.now() + 200;
      while (performance.now() < stallUntil) {
        // A blocked event loop: the bucket would have refilled 20 tokens, but holds 2.
      }
      // The overdue release timer runs before this later one.
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(released).toBe(2);
      await Promise.all(waits);
      expect(released).toBe(6);
    });
  });
});

describe("waits longer than a Node timer holds (about 24.8 days)", () => {
  /** The delays armed by `arm`; Node fires a timer over 2^31-1 ms after 1 ms instead. */
  async function armedDelays(arm: (signal: AbortSignal) => Promise<unknown>): Promise<number[]> {
    const spy = jest.spyOn(globalThis, "setTimeout");
    const controller = new AbortController();
    try {
      const wait = arm(controller.signal).catch(() => undefined);
      controller.abort(new Error("done"));
      await wait;
      return spy.mock.calls.map((call) => Number(call[1]));
    } finally {
      spy.mockRestore();
    }
  }

  it("are capped rather than fired at once", async () => {
    const delays = await armedDelays((signal) => abortableDelay(2 ** 31 * 10, signal));
    expect(delays.length).toBeGreaterThan(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it("do not make pacing at a tiny rate spin", async () => {
    const bucket = new TokenBucket(1e-9, 1, performance.now());
    bucket.tryTake(performance.now());
    const delays = await armedDelays((signal) => bucket.wait(signal));
    expect(delays.length).toBeGreaterThan(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
  });
});
