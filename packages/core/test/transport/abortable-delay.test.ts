import { describe, expect, it, jest } from "@jest/globals";
import { abortableDelay } from "../../src/transport/abortable-delay.js";

describe("waits longer than a Node timer holds (about 24.8 days)", () => {
  it("are capped rather than fired at once", async () => {
    const spy = jest.spyOn(globalThis, "setTimeout");
    const controller = new AbortController();
    try {
      const wait = abortableDelay(2 ** 31 * 10, controller.signal).catch(() => undefined);
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
