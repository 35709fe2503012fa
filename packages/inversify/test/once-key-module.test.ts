import "reflect-metadata";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { azureKeyVaultSource } from "@oncekey/azure-keyvault";
import {
  cached,
  KeyNotFoundError,
  staticKey,
  type KeyProvider,
  type OnceHubClient,
  type OnceKeyConfig,
  type OnceKeyEvent,
} from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { keyFingerprint } from "@oncekey/sandbox";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { startSandboxFixture, type SandboxFixture } from "./sandbox-fixture.js";

let fixture: SandboxFixture;
beforeAll(async () => {
  fixture = await startSandboxFixture();
});
afterAll(async () => {
  await fixture.close();
});

/** Containers and modules loaded by a test, unloaded after it. */
const loaded: [Container, OnceKeyModule][] = [];
afterEach(async () => {
  for (const [container, module] of loaded.splice(0)) await container.unload(module);
});

async function load(module: OnceKeyModule): Promise<Container> {
  const container = new Container();
  await container.load(module);
  loaded.push([container, module]);
  return container;
}

/** Counts what a provider is asked and whether it was closed. */
function counting(inner: KeyProvider): KeyProvider & { reads: number; closes: number } {
  const provider = {
    name: "counting",
    reads: 0,
    closes: 0,
    getKey: (request?: Parameters<KeyProvider["getKey"]>[0]) => {
      provider.reads++;
      return inner.getKey(request);
    },
    close: async () => {
      provider.closes++;
    },
  };
  return provider;
}

describe(OnceKeyModule.name, () => {
  describe("fromEnvironment", () => {
    describe("when the configuration is good", () => {
      it("binds a client that calls OnceHub with the configured key", async () => {
        const env = { ...fixture.env, ONCEKEY_SOURCE: "env", ONCEHUB_API_KEY: fixture.sandbox.key };
        const container = await load(OnceKeyModule.fromEnvironment({ sources: [envSource], env }));

        const result = await container.get<OnceHubClient>(ONCEKEY.Client).test();

        expect(result.account).toBe(fixture.sandbox.account.email);
        expect(fixture.sandbox.requests.last()).toMatchObject({
          path: "/v2/test",
          status: 200,
          fingerprint: keyFingerprint(fixture.sandbox.key),
        });
      });

      it("binds the provider, the client and the configuration as singletons", async () => {
        const env = { ...fixture.env, ONCEHUB_API_KEY: fixture.sandbox.key };
        const container = await load(OnceKeyModule.fromEnvironment({ sources: [envSource], env }));

        const client = container.get<OnceHubClient>(ONCEKEY.Client);
        const keys = container.get<KeyProvider>(ONCEKEY.KeyProvider);
        const config = container.get<OnceKeyConfig>(ONCEKEY.Config);

        expect(container.get(ONCEKEY.Client)).toBe(client);
        expect(container.get(ONCEKEY.KeyProvider)).toBe(keys);
        expect(container.get(ONCEKEY.Config)).toBe(config);
        expect(config).toMatchObject({
          sources: ["env"],
          baseUrl: fixture.sandbox.baseUrl,
          caFile: fixture.caFile,
        });
        expect(client.baseUrl).toBe(fixture.sandbox.baseUrl);
        expect((await keys.getKey()).fingerprint).toBe(keyFingerprint(fixture.sandbox.key));
      });

      it("reads process.env when no env is given", async () => {
        const saved = { ...process.env };
        Object.assign(process.env, fixture.env, {
          ONCEKEY_SOURCE: "env",
          ONCEHUB_API_KEY: fixture.sandbox.key,
        });
        try {
          const container = await load(OnceKeyModule.fromEnvironment({ sources: [envSource] }));
          await expect(container.get<OnceHubClient>(ONCEKEY.Client).test()).resolves.toMatchObject({
            account: fixture.sandbox.account.email,
          });
        } finally {
          for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
          Object.assign(process.env, saved);
        }
      });

      it("hands the client options to the client", async () => {
        const events: OnceKeyEvent[] = [];
        const env = { ...fixture.env, ONCEHUB_API_KEY: fixture.sandbox.key };
        const module = OnceKeyModule.fromEnvironment({
          sources: [envSource],
          env,
          client: { pacing: false, onEvent: (event) => events.push(event) },
        });
        const container = await load(module);

        await container.get<OnceHubClient>(ONCEKEY.Client).test();

        expect(events).toContainEqual(expect.objectContaining({ type: "request", status: 200 }));
      });

      it("never shows the key in the bound configuration", async () => {
        const key = `canary-${"k".repeat(24)}`;
        const container = await load(
          OnceKeyModule.fromEnvironment({
            sources: [envSource],
            env: { ...fixture.env, ONCEHUB_API_KEY: key },
          }),
        );
        const config = container.get<OnceKeyConfig>(ONCEKEY.Config);

        expect(JSON.stringify(config)).not.toContain(key);
        expect(inspect(config, { depth: 5 })).not.toContain(key);
        expect(String(await container.get<KeyProvider>(ONCEKEY.KeyProvider).getKey())).not.toContain(key);
      });
    });

    describe("when the configuration is bad", () => {
      const sources = [envSource, azureKeyVaultSource];
      const cases: [string, Record<string, string>, string, RegExp][] = [
        [
          "an unknown source",
          { ONCEKEY_SOURCE: "vault" },
          "ONCEKEY_SOURCE",
          /Use one of env, azure-keyvault/,
        ],
        ["a source not registered", { ONCEKEY_SOURCE: "file" }, "ONCEKEY_SOURCE", /Install @oncekey\/file/],
        [
          "a missing variable",
          { ONCEKEY_SOURCE: "azure-keyvault", ONCEKEY_KEYVAULT_SECRET: "oncehub" },
          "ONCEKEY_KEYVAULT_URL",
          /Set ONCEKEY_KEYVAULT_URL/,
        ],
        [
          "a base URL that is not a URL",
          { ONCEHUB_BASE_URL: "api.oncehub" },
          "ONCEHUB_BASE_URL",
          /Use the API base/,
        ],
        [
          "an http base URL",
          { ONCEHUB_BASE_URL: "http://127.0.0.1:1/v2" },
          "ONCEHUB_BASE_URL",
          /Use an https:/,
        ],
        [
          "an unreadable CA file",
          { ONCEKEY_CA_FILE: "/nonexistent/ca.pem" },
          "ONCEKEY_CA_FILE",
          /Point it to/,
        ],
      ];

      it.each(cases)(
        "rejects the load for %s, naming the variable and the fix",
        async (_, bad, variable, fix) => {
          const container = new Container();
          const env = { ...fixture.env, ONCEHUB_API_KEY: fixture.sandbox.key, ...bad };
          const module = OnceKeyModule.fromEnvironment({ sources, env });

          await expect(container.load(module)).rejects.toMatchObject({
            code: "CONFIG",
            variable,
            message: fix,
          });
          expect(() => container.loadSync(module)).toThrow(
            expect.objectContaining({ code: "CONFIG", variable }),
          );
          expect(container.isBound(ONCEKEY.Client)).toBe(false);
          expect(container.isBound(ONCEKEY.KeyProvider)).toBe(false);
        },
      );

      it("rejects the load for a bad client option, naming it", async () => {
        const module = OnceKeyModule.fromEnvironment({
          sources,
          env: fixture.env,
          client: { pacing: { requestsPerSecond: 0 } },
        });

        await expect(new Container().load(module)).rejects.toMatchObject({
          code: "CONFIG",
          variable: "pacing.requestsPerSecond",
        });
      });
    });
  });

  describe("fromOptions", () => {
    it("binds a client over the given provider", async () => {
      const keys = staticKey(fixture.sandbox.key);
      const container = await load(
        OnceKeyModule.fromOptions({ keys, baseUrl: `${fixture.sandbox.baseUrl}/`, ca: fixture.sandbox.ca }),
      );

      await expect(container.get<OnceHubClient>(ONCEKEY.Client).test()).resolves.toMatchObject({
        account: fixture.sandbox.account.email,
      });
      expect(container.get(ONCEKEY.KeyProvider)).toBe(keys);
      expect(container.get<OnceKeyConfig>(ONCEKEY.Config)).toMatchObject({
        sources: [keys.name],
        baseUrl: fixture.sandbox.baseUrl,
        ca: fixture.sandbox.ca,
      });
    });

    it("builds the provider from sources and their variables", async () => {
      const container = await load(
        OnceKeyModule.fromOptions({
          sources: [envSource],
          variables: { ONCEHUB_API_KEY: fixture.sandbox.key },
          baseUrl: fixture.sandbox.baseUrl,
          ca: Buffer.from(fixture.sandbox.ca),
        }),
      );

      await expect(container.get<OnceHubClient>(ONCEKEY.Client).test()).resolves.toMatchObject({
        account: fixture.sandbox.account.email,
      });
      expect(container.get<OnceKeyConfig>(ONCEKEY.Config)).toMatchObject({
        sources: ["env"],
        ca: fixture.sandbox.ca,
      });
    });

    it("rejects the load for an http base URL", async () => {
      const module = OnceKeyModule.fromOptions({ keys: staticKey("k-1"), baseUrl: "http://127.0.0.1:1/v2" });

      await expect(new Container().load(module)).rejects.toMatchObject({ code: "INSECURE_TRANSPORT" });
    });

    it("rejects the load without keys or sources", async () => {
      const module = OnceKeyModule.fromOptions({ sources: [] });

      await expect(new Container().load(module)).rejects.toMatchObject({
        code: "CONFIG",
        variable: "sources",
      });
    });

    it("rejects variables that it takes as options instead", async () => {
      const module = OnceKeyModule.fromOptions({
        sources: [envSource],
        variables: { ONCEHUB_BASE_URL: fixture.sandbox.baseUrl },
      });

      await expect(new Container().load(module)).rejects.toMatchObject({
        code: "CONFIG",
        variable: "ONCEHUB_BASE_URL",
        message: expect.stringContaining("pass `baseUrl`"),
      });
    });
  });

  describe("when the container unloads the module", () => {
    it("closes the client and the provider", async () => {
      const keys = counting(staticKey(fixture.sandbox.key));
      const module = OnceKeyModule.fromOptions({
        keys,
        baseUrl: fixture.sandbox.baseUrl,
        ca: fixture.sandbox.ca,
      });
      const container = new Container();
      await container.load(module);
      const client = container.get<OnceHubClient>(ONCEKEY.Client);
      await client.test();

      await container.unload(module);

      expect(keys.closes).toBe(1);
      await expect(client.test()).rejects.toMatchObject({ code: "NETWORK" });
      expect(container.isBound(ONCEKEY.Client)).toBe(false);
    });

    it("builds fresh services when the module is loaded again", async () => {
      const keys = staticKey(fixture.sandbox.key);
      const module = OnceKeyModule.fromOptions({
        keys,
        baseUrl: fixture.sandbox.baseUrl,
        ca: fixture.sandbox.ca,
      });
      const container = new Container();
      await container.load(module);
      const first = container.get<OnceHubClient>(ONCEKEY.Client);
      await container.unload(module);

      await container.load(module);
      loaded.push([container, module]);
      const second = container.get<OnceHubClient>(ONCEKEY.Client);

      expect(second).not.toBe(first);
      await expect(second.test()).resolves.toMatchObject({ account: fixture.sandbox.account.email });
    });
  });

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
