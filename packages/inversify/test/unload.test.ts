import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { staticKey, type KeyProvider, type OnceHubClient } from "@oncekey/core";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { counting, useContainers } from "./module-harness.js";
import { useSandboxFixture } from "./sandbox-fixture.js";

const fixture = useSandboxFixture();
const { track } = useContainers();

/** A module over `keys`, pointed at the sandbox, loaded into a new container. */
async function loaded(keys: KeyProvider): Promise<{ container: Container; module: OnceKeyModule }> {
  const module = OnceKeyModule.fromOptions({
    keys,
    baseUrl: fixture.sandbox.baseUrl,
    ca: fixture.sandbox.ca,
  });
  const container = new Container();
  await container.load(module);
  return { container, module };
}

describe(OnceKeyModule.name, () => {
  describe("when the container unloads the module", () => {
    it("closes the client and the provider, each once", async () => {
      const keys = counting(staticKey(fixture.sandbox.key));
      const { container, module } = await loaded(keys);
      const client = container.get<OnceHubClient>(ONCEKEY.Client);
      container.get(ONCEKEY.KeyProvider);
      await client.test();

      await container.unload(module);

      expect(keys.closes).toBe(1);
      await expect(client.test()).rejects.toMatchObject({ code: "NETWORK" });
      expect(container.isBound(ONCEKEY.Client)).toBe(false);
    });

    it("closes a provider that was resolved without the client", async () => {
      const keys = counting(staticKey(fixture.sandbox.key));
      const { container, module } = await loaded(keys);
      await container.get<KeyProvider>(ONCEKEY.KeyProvider).getKey();

      await container.unload(module);

      expect(keys.closes).toBe(1);
    });

    // inversify deactivates only what it resolved, and a provider it never handed out was never used through it:
    // the README says so, and this keeps the statement true.
    it("leaves a given provider that nothing resolved to its owner", async () => {
      const keys = counting(staticKey(fixture.sandbox.key));
      const { container, module } = await loaded(keys);

      await container.unload(module);

      expect(keys.closes).toBe(0);
    });

    it("builds fresh services when the module is loaded again", async () => {
      const { container, module } = await loaded(staticKey(fixture.sandbox.key));
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
