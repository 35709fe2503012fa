import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { SlidingWindowLimit } from "../src/state/sliding-window-limit.js";

describe(SlidingWindowLimit.name, () => {
  describe("when requests come faster than the limit", () => {
    it("admits the limit at once, then refuses with the time until the oldest leaves the window", () => {
      const limit = new SlidingWindowLimit(3, 1_000);
      expect([0, 10, 20].map((t) => limit.take("a", t))).toEqual([0, 0, 0]);
      expect(limit.take("a", 30)).toBe(970);
      expect(limit.take("a", 999)).toBe(1);
      expect(limit.take("a", 999.5)).toBe(1);
    });

    it("admits a request exactly a window after the one it replaces", () => {
      const limit = new SlidingWindowLimit(2, 1_000);
      limit.take("a", 0);
      limit.take("a", 400);
      expect(limit.take("a", 1_000)).toBe(0);
      expect(limit.take("a", 1_000)).toBe(400);
      expect(limit.take("a", 1_400)).toBe(0);
    });

    it("does not count the requests it refuses", () => {
      const limit = new SlidingWindowLimit(1, 1_000);
      limit.take("a", 0);
      for (let t = 1; t < 1_000; t += 7) limit.take("a", t);
      expect(limit.take("a", 1_000)).toBe(0);
    });

    it("keeps each key's window apart", () => {
      const limit = new SlidingWindowLimit(1, 1_000);
      expect(limit.take("127.0.0.1", 0)).toBe(0);
      expect(limit.take("127.0.0.2", 0)).toBe(0);
      expect(limit.take("127.0.0.1", 1)).toBe(999);
    });
  });

  it("never admits more than the limit in any window, and refuses only when the window is full", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 200 }),
        (requests, windowMs, gaps) => {
          const limit = new SlidingWindowLimit(requests, windowMs);
          const admitted: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            const wait = limit.take("k", now);
            const inWindow = admitted.filter((t) => t > now - windowMs);
            if (wait === 0) admitted.push(now);
            // Refused exactly when `requests` were admitted in the window ending now, and told when one leaves.
            expect(wait === 0).toBe(inWindow.length < requests);
            if (wait > 0) expect(wait).toBe(Math.max(1, Math.ceil(inWindow[0]! + windowMs - now)));
          }
          for (let i = requests; i < admitted.length; i++)
            expect(admitted[i]! - admitted[i - requests]!).toBeGreaterThanOrEqual(windowMs);
        },
      ),
    );
  });
});
