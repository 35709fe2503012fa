import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { OnceHubClient } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { loadAsync, unloadAsync } from "./inversify-major.js";
import { useSandboxEnv } from "./sandbox-env.js";

const TENANTS = 20;
const REQUESTS_PER_TENANT = 10;

// OnceHub's 5 per second; 190 ms of tolerance (under one 200 ms token) for a first request the loaded test process
// handles late, which puts the sandbox's bucket behind the client's.
const fixture = useSandboxEnv({ rateLimit: { requestsPerSecond: 5, toleranceMs: 190 } });
const container = new Container();
let oncekey: OnceKeyModule;

beforeAll(async () => {
  // OnceHub's limit: 5 requests per second per account, enforced by the sandbox.
  const env: Record<string, string> = { ...fixture.env, ONCEKEY_ENV_VAR: "ONCEHUB_API_KEY_{tenant}" };
  for (let i = 0; i < TENANTS; i++) {
    env[`ONCEHUB_API_KEY_T${i}`] = fixture.sandbox.accounts.create(`t${i}@example.com`).key;
  }
  // No retries: a 429 would fail the call instead of hiding behind a retry.
  oncekey = OnceKeyModule.fromEnvironment({
    sources: [envSource],
    env,
    client: { retry: false, connections: 8 },
  });
  await loadAsync(container, oncekey);
});

afterAll(async () => {
  await unloadAsync(container, oncekey);
});

describe("per-tenant pacing through the container's client", () => {
  describe("when every tenant calls faster than OnceHub's limit, all tenants at once", () => {
    it("keeps each tenant's account within its limit, without 429s", async () => {
      const client = container.get<OnceHubClient>(ONCEKEY.Client);
      fixture.sandbox.requests.clear();

      // Each tenant's job awaits its calls one after another; the tenants run side by side.
      const results = await Promise.allSettled(
        Array.from({ length: TENANTS }, async (_, t) => {
          const tenant = client.forTenant(`t${t}`);
          for (let i = 0; i < REQUESTS_PER_TENANT; i++) await tenant.test();
        }),
      );

      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      expect(fixture.sandbox.requests.count({ status: 429 })).toBe(0);
      expect(fixture.sandbox.requests.count({ status: 200 })).toBe(TENANTS * REQUESTS_PER_TENANT);
    });
  });
});
