import { describe, expect, it } from "@jest/globals";
import { TokenBucket } from "../../../src/transport/pacing/token-bucket.js";

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

    it("says a held token frees when they reach the wire, and a missing one when it refills", () => {
      const bucket = new TokenBucket(5, 2, 0);
      bucket.tryTake(0);
      bucket.tryTake(0);
      expect(bucket.nextTakeInMs(0)).toBe(200);
      expect(bucket.nextTakeInMs(400)).toBe(Infinity);
      bucket.started();
      bucket.started();
      expect(bucket.nextTakeInMs(400)).toBe(0);
    });
  });
});
