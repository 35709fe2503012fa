import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { staticKey, type KeyProvider, type KeySource, type OnceHubClient } from "@oncekey/core";
import { rejectionOf } from "@oncekey/test-support";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { INVERSIFY_MAJOR, loadAsync, unloadAsync, unloadSync } from "./inversify-major.js";
import { counting, useContainers } from "./module-harness.js";
import { useSandboxEnv } from "./sandbox-env.js";

const fixture = useSandboxEnv();
const { track } = useContainers();

/** A module over `keys`, pointed at the sandbox, loaded into a new container. */
async function loaded(keys: KeyProvider): Promise<{ container: Container; module: OnceKeyModule }> {
  const module = OnceKeyModule.fromOptions({
    keys,
    baseUrl: fixture.sandbox.baseUrl,
    ca: fixture.sandbox.ca,
  });
  const container = new Container();
  await loadAsync(container, module);
  return { container, module };
}

describe(OnceKeyModule.name, () => {
  describe("when the container unloads the module", () => {
    it("closes the client and the provider it uses, each once", async () => {
      const keys = counting(staticKey(fixture.sandbox.key));
      const { container, module } = await loaded(keys);
      const client = container.get<OnceHubClient>(ONCEKEY.Client);
      container.get(ONCEKEY.KeyProvider);
      await client.test();

      await unloadAsync(container, module);

      expect(keys.closes).toBe(1);
      await expect(client.test()).rejects.toMatchObject({ code: "NETWORK" });
      expect(container.isBound(ONCEKEY.Client)).toBe(false);
    });

    it("closes the provider when only the client was resolved, since the client used it", async () => {
      const keys = counting(staticKey(fixture.sandbox.key));
      const { container, module } = await loaded(keys);
      await container.get<OnceHubClient>(ONCEKEY.Client).test();

      await unloadAsync(container, module);

      expect(keys.closes).toBe(1);
    });

    it("closes the client and the provider when only the provider was resolved", async () => {
      const keys = counting(staticKey(fixture.sandbox.key));
      const { container, module } = await loaded(keys);
      await container.get<KeyProvider>(ONCEKEY.KeyProvider).getKey();

      await unloadAsync(container, module);

      expect(keys.closes).toBe(1);
    });

    it("closes a provider it built from the environment", async () => {
      const keys = counting(staticKey(fixture.sandbox.key));
      const source: KeySource = { name: "counted", fromConfig: () => keys };
      const module = OnceKeyModule.fromEnvironment({
        sources: [source],
        env: { ...fixture.env, ONCEKEY_SOURCE: "counted" },
      });
      const container = new Container();
      await loadAsync(container, module);
      await container.get<OnceHubClient>(ONCEKEY.Client).test();

      await unloadAsync(container, module);

      expect(keys.closes).toBe(1);
    });

    // inversify deactivates only what it resolved, and a provider it never handed out (nor the client over it) was
    // never used through it: the README says so, and this keeps the statement true.
    it("leaves a given provider that nothing resolved to its owner, unasked", async () => {
      const keys = counting(staticKey(fixture.sandbox.key));
      const { container, module } = await loaded(keys);

      await unloadAsync(container, module);

      expect(keys).toMatchObject({ reads: 0, closes: 0 });
    });

    it("needs no asynchronous unload when nothing was resolved", async () => {
      const { container, module } = await loaded(staticKey(fixture.sandbox.key));

      unloadSync(container, module);

      expect(container.isBound(ONCEKEY.Client)).toBe(false);
    });

    // What the README tells inversify 8 users (and what 8's own error says): a used client closes asynchronously.
    it("refuses the synchronous unload once the client was used, pointing to the asynchronous one", async () => {
      const { container, module } = await loaded(staticKey(fixture.sandbox.key));
      track(container, module);
      await container.get<OnceHubClient>(ONCEKEY.Client).test();

      const error = await rejectionOf(Promise.resolve().then(() => unloadSync(container, module)));

      expect(String(error)).toContain(
        INVERSIFY_MAJOR === 8 ? "container.unloadAsync()" : "Container.unload()",
      );
    });

    it("builds fresh services when the module is loaded again", async () => {
      const { container, module } = await loaded(staticKey(fixture.sandbox.key));
      const first = container.get<OnceHubClient>(ONCEKEY.Client);
      await unloadAsync(container, module);

      await loadAsync(container, module);
      track(container, module);
      const second = container.get<OnceHubClient>(ONCEKEY.Client);

      expect(second).not.toBe(first);
      await expect(second.test()).resolves.toMatchObject({ account: fixture.sandbox.account.email });
    });
  });
});
