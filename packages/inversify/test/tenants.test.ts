import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { cached, KeyNotFoundError, staticKey, type KeyProvider, type OnceHubClient } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { counting, useContainers } from "./module-harness.js";
import { useSandboxEnv } from "./sandbox-env.js";

const fixture = useSandboxEnv();
const { load } = useContainers();

describe(OnceKeyModule.name, () => {
  describe("when tenants share the client", () => {
    it("sends each tenant's requests with that tenant's key", async () => {
      const acme = fixture.sandbox.accounts.create("acme@example.com");
      const globex = fixture.sandbox.accounts.create("globex@example.com");
      const env = {
        ...fixture.env,
        ONCEKEY_ENV_VAR: "ONCEHUB_API_KEY_{tenant}",
        ONCEHUB_API_KEY_ACME: acme.key,
        ONCEHUB_API_KEY_GLOBEX: globex.key,
      };
      const container = await load(OnceKeyModule.fromEnvironment({ sources: [envSource], env }));
      const client = container.get<OnceHubClient>(ONCEKEY.Client);

      const [a, g] = await Promise.all([client.forTenant("acme").test(), client.forTenant("globex").test()]);

      expect([a.account, g.account]).toEqual(["acme@example.com", "globex@example.com"]);
      await expect(client.forTenant("initech").test()).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      expect(() => client.forTenant("../acme")).toThrow(expect.objectContaining({ code: "INVALID_TENANT" }));
    });

    it("reads a cold tenant's key once for many concurrent requests", async () => {
      const keys = counting(staticKey(fixture.sandbox.key));
      const tenantKeys: KeyProvider = {
        name: "one-tenant",
        getKey: (request) =>
          request?.tenant === "acme" ? keys.getKey() : Promise.reject(new Error("unexpected tenant")),
      };
      const container = await load(
        OnceKeyModule.fromOptions({
          keys: cached(tenantKeys),
          baseUrl: fixture.sandbox.baseUrl,
          ca: fixture.sandbox.ca,
          pacing: false,
        }),
      );
      const acme = container.get<OnceHubClient>(ONCEKEY.Client).forTenant("acme");

      await Promise.all(Array.from({ length: 200 }, () => acme.test()));

      expect(keys.reads).toBe(1);
    });

    it("remembers for a while that a tenant has no key, without calling OnceHub", async () => {
      let reads = 0;
      const noKeys: KeyProvider = {
        name: "empty",
        getKey: async (request) => {
          reads++;
          throw new KeyNotFoundError(`No key for ${request?.tenant ?? "the app"}.`, { source: "empty" });
        },
      };
      const clock = { now: 1_000 };
      const container = await load(
        OnceKeyModule.fromOptions({
          keys: cached(noKeys, { notFoundTtlMs: 1_000, now: () => clock.now }),
          baseUrl: fixture.sandbox.baseUrl,
          ca: fixture.sandbox.ca,
        }),
      );
      const ghost = container.get<OnceHubClient>(ONCEKEY.Client).forTenant("ghost");
      fixture.sandbox.requests.clear();

      const first = await Promise.allSettled(Array.from({ length: 50 }, () => ghost.test()));
      clock.now += 999;
      const second = await Promise.allSettled(Array.from({ length: 50 }, () => ghost.test()));
      const readsWithinTtl = reads;
      clock.now += 1;
      await expect(ghost.test()).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });

      expect([...first, ...second].every((r) => r.status === "rejected")).toBe(true);
      expect(readsWithinTtl).toBe(1);
      expect(reads).toBe(2);
      expect(fixture.sandbox.requests.size).toBe(0);
    });
  });
});
