import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import type { OnceHubClient, PacingSource, PacingStore } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { rejectionOf } from "@oncekey/test-support";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { loadAsync, unloadAsync } from "./inversify-major.js";
import { useSandboxEnv } from "./sandbox-env.js";

const fixture = useSandboxEnv();

/** A pacing source whose store grants everything and counts what it was asked. */
function countingSource(): PacingSource & { store: PacingStore & { takes: number; closes: number } } {
  const store = {
    name: "counting",
    takes: 0,
    closes: 0,
    take() {
      store.takes++;
      return { granted: true as const, slackMs: 0 };
    },
    async close() {
      store.closes++;
    },
  };
  return { name: "counting", store, fromConfig: () => store };
}

describe("OnceKeyModule.fromEnvironment with pacing sources", () => {
  it("paces through the store ONCEKEY_PACING_STORE picks, and closes it when the module unloads", async () => {
    const source = countingSource();
    const env = {
      ...fixture.env,
      ONCEHUB_API_KEY: fixture.sandbox.key,
      ONCEKEY_PACING_STORE: "counting",
    };
    const module = OnceKeyModule.fromEnvironment({ sources: [envSource], pacingSources: [source], env });
    const container = new Container();
    await loadAsync(container, module);

    await container.get<OnceHubClient>(ONCEKEY.Client).test();
    expect(source.store.takes).toBeGreaterThanOrEqual(1);

    await unloadAsync(container, module);
    expect(source.store.closes).toBe(1);
  });

  it("refuses a store the app did not register, when the container loads the module", async () => {
    const env = { ...fixture.env, ONCEHUB_API_KEY: fixture.sandbox.key, ONCEKEY_PACING_STORE: "redis" };
    const error = await rejectionOf(
      loadAsync(new Container(), OnceKeyModule.fromEnvironment({ sources: [envSource], env })),
    );
    expect(error).toMatchObject({ code: "CONFIG", variable: "ONCEKEY_PACING_STORE" });
    expect((error as Error).message).toContain("@oncekey/redis");
  });
});
