import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { staticKey, type OnceHubClient, type OnceKeyConfig } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { loadAsync } from "./inversify-major.js";
import { useContainers } from "./module-harness.js";
import { useSandboxEnv } from "./sandbox-env.js";

const fixture = useSandboxEnv();
const { load } = useContainers();

describe(OnceKeyModule.name, () => {
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

    it("lets its key sources see the CA given in code, as they would see ONCEKEY_CA_FILE's", async () => {
      let seen: string | undefined;
      const recording = {
        name: "recording",
        fromConfig(config: OnceKeyConfig) {
          seen = config.ca;
          return staticKey(fixture.sandbox.key);
        },
      };
      await load(
        OnceKeyModule.fromOptions({
          sources: [recording],
          baseUrl: fixture.sandbox.baseUrl,
          ca: fixture.sandbox.ca,
        }),
      );
      expect(seen).toBe(fixture.sandbox.ca);
    });

    it("binds the configuration of the client it built, with ONCEHUB_BASE_URL as the client's default", async () => {
      const saved = { ...process.env };
      Object.assign(process.env, fixture.env);
      try {
        const container = await load(OnceKeyModule.fromOptions({ keys: staticKey(fixture.sandbox.key) }));
        const client = container.get<OnceHubClient>(ONCEKEY.Client);

        await expect(client.test()).resolves.toMatchObject({ account: fixture.sandbox.account.email });
        expect(container.get<OnceKeyConfig>(ONCEKEY.Config).baseUrl).toBe(fixture.sandbox.baseUrl);
        expect(client.baseUrl).toBe(fixture.sandbox.baseUrl);
      } finally {
        process.env = saved;
      }
    });

    it("rejects the load for an http base URL", async () => {
      const module = OnceKeyModule.fromOptions({ keys: staticKey("k-1"), baseUrl: "http://127.0.0.1:1/v2" });

      await expect(loadAsync(new Container(), module)).rejects.toMatchObject({ code: "INSECURE_TRANSPORT" });
    });

    it("rejects the load without keys or sources", async () => {
      const module = OnceKeyModule.fromOptions({ sources: [] });

      await expect(loadAsync(new Container(), module)).rejects.toMatchObject({
        code: "CONFIG",
        variable: "sources",
      });
    });

    it("rejects variables that it takes as options instead", async () => {
      const module = OnceKeyModule.fromOptions({
        sources: [envSource],
        variables: { ONCEHUB_BASE_URL: fixture.sandbox.baseUrl },
      });

      await expect(loadAsync(new Container(), module)).rejects.toMatchObject({
        code: "CONFIG",
        variable: "variables.ONCEHUB_BASE_URL",
        message: expect.stringContaining("pass `baseUrl`"),
      });
    });
  });
});
