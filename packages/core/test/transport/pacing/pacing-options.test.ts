import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { showsKey, thrownBy } from "@oncekey/test-support";
import { OnceHubClient, staticKey } from "../../../src/index.js";

const keys = staticKey("k".repeat(32));

describe("OnceHubClient's pacing option", () => {
  it.each([
    [{ requestsPerSecond: 0 }, "pacing.requestsPerSecond"],
    [{ requestsPerSecond: true }, "pacing.requestsPerSecond"],
    [{ burst: 0.5 }, "pacing.burst"],
    [{ egress: { requests: 0 } }, "pacing.egress.requests"],
    [{ egress: { windowMs: -1 } }, "pacing.egress.windowMs"],
    [{ egress: { request: 200 } }, "pacing.egress.request"],
    [{ egres: false }, "pacing.egres"],
    [{ egress: "off" }, "pacing.egress"],
    [{ store: {} }, "pacing.store"],
  ])("refuses %j with a ConfigError naming the option", (pacing, variable) => {
    expect(thrownBy(() => new OnceHubClient({ keys, pacing: pacing as never }))).toMatchObject({
      code: "CONFIG",
      variable,
    });
  });

  it("suggests the option meant", () => {
    expect(thrownBy(() => new OnceHubClient({ keys, pacing: { egres: false } as never }))).toMatchObject({
      message: expect.stringContaining("Did you mean pacing.egress?"),
    });
  });

  it("never repeats a string given where a number belongs", () => {
    for (const key of Object.values(CANARY_KEYS)) {
      const error = thrownBy(
        () => new OnceHubClient({ keys, pacing: { egress: { windowMs: key as never } } }),
      );
      expect(showsKey(key, error)).toBe(false);
    }
  });

  it("takes each budget turned off, and both", async () => {
    for (const pacing of [
      { egress: false },
      { requestsPerSecond: false },
      { requestsPerSecond: false, egress: false },
    ]) {
      const client = new OnceHubClient({ keys, pacing: pacing as never });
      await client.close();
    }
  });
});
