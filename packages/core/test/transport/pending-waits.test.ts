import { describe, expect, it } from "@jest/globals";
import { NetworkError } from "../../src/index.js";
import { abortableDelay } from "../../src/transport/abortable-delay.js";
import { PendingWaits } from "../../src/transport/pending-waits.js";

describe(PendingWaits.name, () => {
  const forever = (signal: AbortSignal): Promise<void> => abortableDelay(2 ** 31, signal);

  describe("when the client closes", () => {
    it("ends every wait at once with a NetworkError naming its call, however many wait", async () => {
      const waits = new PendingWaits();
      const pending = Array.from({ length: 1_000 }, (_, i) => waits.run(undefined, `GET /v2/x${i}`, forever));
      waits.close();
      const outcomes = await Promise.allSettled(pending);
      expect(outcomes.every((o) => o.status === "rejected" && NetworkError.is(o.reason))).toBe(true);
      expect(outcomes[7]).toMatchObject({ reason: { message: expect.stringContaining("GET /v2/x7") } });
    });

    it("refuses a wait that starts afterwards", async () => {
      const waits = new PendingWaits();
      waits.close();
      await expect(waits.run(undefined, "GET /v2/test", forever)).rejects.toMatchObject({ code: "NETWORK" });
    });
  });

  describe("when the call's own signal aborts", () => {
    it("rejects with the signal's reason, as the caller expects", async () => {
      const waits = new PendingWaits();
      const controller = new AbortController();
      const reason = new Error("caller gave up");
      const pending = waits.run(controller.signal, "GET /v2/test", forever);
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      await expect(waits.run(AbortSignal.abort(reason), "GET /v2/test", forever)).rejects.toBe(reason);
    });
  });
});
