import "reflect-metadata";
import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { azureKeyVaultSource } from "@oncekey/azure-keyvault";
import type { KeyProvider, OnceHubClient, OnceKeyConfig, OnceKeyEvent } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { keyFingerprint } from "@oncekey/sandbox";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { loadAsync, loadSync } from "./inversify-major.js";
import { useContainers } from "./module-harness.js";
import { useSandboxEnv } from "./sandbox-env.js";

const fixture = useSandboxEnv();
const { load } = useContainers();

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

          await expect(loadAsync(container, module)).rejects.toMatchObject({
            code: "CONFIG",
            variable,
            message: fix,
          });
          expect(() => loadSync(container, module)).toThrow(
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

        await expect(loadAsync(new Container(), module)).rejects.toMatchObject({
          code: "CONFIG",
          variable: "pacing.requestsPerSecond",
        });
      });
    });
  });
});
