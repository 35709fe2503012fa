import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { staticKey, type OnceHubClient } from "@oncekey/core";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { counting, useContainers } from "./module-harness.js";
import { useSandboxFixture } from "./sandbox-fixture.js";

const fixture = useSandboxFixture();
const { track } = useContainers();

describe(OnceKeyModule.name, () => {
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
      track(container, module);
      const second = container.get<OnceHubClient>(ONCEKEY.Client);

      expect(second).not.toBe(first);
      await expect(second.test()).resolves.toMatchObject({ account: fixture.sandbox.account.email });
    });
  });
});
