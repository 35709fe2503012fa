import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { showsKey, thrownBy } from "@oncekey/test-support";
import {
  type KeySource,
  loadConfig,
  OnceHubClient,
  type PacingSource,
  type PacingStore,
  staticKey,
} from "../../src/index.js";

const env: KeySource = { name: "env", fromConfig: () => staticKey("k".repeat(32)) };

/** A pacing source whose stores say when they were closed. */
function trackedSource(): { source: PacingSource; closed: () => number; built: () => number } {
  let closed = 0;
  let built = 0;
  const source: PacingSource = {
    name: "tracked",
    fromConfig: (): PacingStore => {
      built++;
      return {
        name: "tracked",
        take: () => ({ granted: true, slackMs: 0 }),
        close: async () => void closed++,
      };
    },
  };
  return { source, closed: () => closed, built: () => built };
}

describe("ONCEKEY_PACING_STORE", () => {
  it("is the in-process store when unset, blank or memory", () => {
    for (const value of [undefined, " ", "memory"]) {
      expect(loadConfig({ ONCEKEY_PACING_STORE: value }).pacingStore).toBeUndefined();
    }
  });

  it("names a registered pacing source, which fromEnvironment builds and the client closes", async () => {
    const tracked = trackedSource();
    const client = OnceHubClient.fromEnvironment({
      sources: [env],
      pacingSources: [tracked.source],
      env: { ONCEKEY_PACING_STORE: "tracked" },
    });
    expect(tracked.built()).toBe(1);
    await client.close();
    expect(tracked.closed()).toBe(1);
  });

  it("gives way to the code: pacing: false, or a store passed in the options", async () => {
    const tracked = trackedSource();
    for (const pacing of [
      false,
      { store: { name: "mine", take: () => ({ granted: true as const, slackMs: 0 }) } },
    ] as const) {
      const client = OnceHubClient.fromEnvironment({
        sources: [env],
        pacingSources: [tracked.source],
        env: { ONCEKEY_PACING_STORE: "tracked" },
        pacing,
      });
      await client.close();
    }
    expect(tracked.built()).toBe(0);
  });

  it("refuses a store that is not registered, naming the package that ships it", () => {
    expect(
      thrownBy(() =>
        OnceHubClient.fromEnvironment({ sources: [env], env: { ONCEKEY_PACING_STORE: "redis" } }),
      ),
    ).toMatchObject({
      code: "CONFIG",
      variable: "ONCEKEY_PACING_STORE",
      message: expect.stringContaining("@oncekey/redis"),
    });
  });

  it("never repeats a value that could be a key pasted in the wrong variable", () => {
    for (const key of Object.values(CANARY_KEYS)) {
      const error = thrownBy(() => loadConfig({ ONCEKEY_PACING_STORE: key }));
      expect(error).toMatchObject({ code: "CONFIG", variable: "ONCEKEY_PACING_STORE" });
      expect(showsKey(key, error)).toBe(false);
    }
  });
});
