import { describe, expect, it } from "@jest/globals";
import { BoundedLog } from "../src/state/bounded-log.js";

describe(BoundedLog.name, () => {
  describe("when more entries arrive than the limit", () => {
    it("keeps the newest, counts the dropped ones, and answers queries over what it keeps", () => {
      const log = new BoundedLog<{ n: number; even: boolean }>(10);
      for (let n = 0; n < 25; n++) log.record({ n, even: n % 2 === 0 });

      expect(log.size).toBe(10);
      expect(log.dropped).toBe(15);
      expect(log.all().map((entry) => entry.n)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
      expect(log.count({ even: true })).toBe(5);
      expect(log.count()).toBe(10);
      expect(log.last()).toEqual({ n: 24, even: true });
    });
  });

  describe("when cleared", () => {
    it("forgets the entries and the dropped count", () => {
      const log = new BoundedLog<{ n: number }>(2);
      for (let n = 0; n < 5; n++) log.record({ n });
      log.clear();

      expect([log.size, log.dropped, log.last()]).toEqual([0, 0, undefined]);
    });
  });
});
