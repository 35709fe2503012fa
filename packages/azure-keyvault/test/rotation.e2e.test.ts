import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { OnceHubClient, type KeyProvider } from "@oncekey/core";
import {
  keyFingerprint,
  startFakeKeyVault,
  startSandbox,
  type FakeKeyVault,
  type Sandbox,
} from "@oncekey/sandbox";
import { eventually } from "@oncekey/test-support";
import { fromAzureKeyVault, type FromAzureKeyVaultOptions } from "../src/index.js";
import { clientOptionsFor, FakeCredential } from "./fake-credential.js";

/** Calls `test()` from `workers` loops until `stop()`; returns how many calls succeeded and what failed. */
function keepCalling(client: OnceHubClient, workers = 4) {
  let running = true;
  let succeeded = 0;
  const failures: unknown[] = [];
  const loops = Array.from({ length: workers }, async () => {
    for (let i = 0; running && i < 10_000; i += 1) {
      try {
        await client.test();
        succeeded += 1;
      } catch (error) {
        failures.push(error);
      }
    }
  });
  return {
    get succeeded() {
      return succeeded;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      return { succeeded, failures };
    },
  };
}

describe("OnceHubClient with fromAzureKeyVault", () => {
  let sandbox: Sandbox;
  let vault: FakeKeyVault;
  const open: { close(): Promise<void> }[] = [];

  const keysFor = (options: Partial<FromAzureKeyVaultOptions> = {}): KeyProvider =>
    fromAzureKeyVault({
      vaultUrl: vault.url,
      secretName: "oncehub-api-key",
      credential: new FakeCredential(),
      clientOptions: clientOptionsFor(vault),
      ...options,
    });
  const clientFor = (keys: KeyProvider): OnceHubClient => {
    const client = new OnceHubClient({ keys, baseUrl: sandbox.baseUrl, ca: sandbox.ca, pacing: false });
    open.push(client, { close: async () => keys.close?.() });
    return client;
  };

  beforeAll(async () => {
    [sandbox, vault] = await Promise.all([startSandbox({ rateLimit: false }), startFakeKeyVault()]);
  });
  afterEach(async () => {
    for (const closable of open.splice(0)) await closable.close();
    sandbox.requests.clear();
    vault.calls.clear();
  });
  afterAll(async () => {
    await Promise.all([sandbox.close(), vault.close()]);
  });

  describe("when the key is rotated (create, write a new version, delete the old) under load", () => {
    it("keeps every request succeeding and reads the vault once more per rotation", async () => {
      const first = sandbox.keys.create(sandbox.account.id, "v1");
      vault.setSecret("oncehub-api-key", first);
      const client = clientFor(keysFor());
      await client.test();
      const traffic = keepCalling(client);

      let current = first;
      for (let rotation = 1; rotation <= 2; rotation += 1) {
        const next = sandbox.keys.create(sandbox.account.id, `v${rotation + 1}`);
        vault.setSecret("oncehub-api-key", next);
        sandbox.keys.delete(current);
        current = next;
        const served = traffic.succeeded;
        await eventually(
          () => sandbox.requests.count({ fingerprint: keyFingerprint(next), status: 200 }) > 0,
        );
        await eventually(() => traffic.succeeded > served + 20);
      }
      const { succeeded, failures } = await traffic.stop();

      expect(failures).toEqual([]);
      expect(succeeded).toBeGreaterThan(40);
      expect(vault.calls.count({ secret: "oncehub-api-key", hasToken: true, status: 200 })).toBe(3);
      expect(sandbox.requests.count({ fingerprint: keyFingerprint(current), status: 200 })).toBeGreaterThan(
        0,
      );
    });
  });

  describe("when refresh-ahead is on", () => {
    it("switches to the new version before the old key is deleted, so OnceHub never answers 401", async () => {
      const first = sandbox.keys.create(sandbox.account.id, "ahead-v1");
      vault.setSecret("oncehub-api-key", first);
      const client = clientFor(keysFor({ refreshAheadMs: 10 }));
      await client.test();

      const next = sandbox.keys.create(sandbox.account.id, "ahead-v2");
      vault.setSecret("oncehub-api-key", next);
      const servedByNext = () => sandbox.requests.count({ fingerprint: keyFingerprint(next), status: 200 });
      for (let i = 0; i < 500 && servedByNext() === 0; i += 1) {
        await client.test();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(servedByNext()).toBeGreaterThan(0);
      sandbox.keys.delete(first);
      await client.test();

      expect(sandbox.requests.count({ status: 401 })).toBe(0);
    });
  });

  describe("when each tenant has its own account and secret", () => {
    it("serves each tenant its own key and rotates one tenant without touching the other", async () => {
      const acme = sandbox.accounts.create("acme@example.com");
      const globex = sandbox.accounts.create("globex@example.com");
      vault.setSecret("oncehub-acme", acme.key);
      vault.setSecret("oncehub-globex", globex.key);
      const client = clientFor(keysFor({ secretName: "oncehub-{tenant}" }));

      await client.forTenant("acme").test();
      await client.forTenant("globex").test();
      const rotated = sandbox.keys.regenerate(acme.key);
      vault.setSecret("oncehub-acme", rotated);
      await client.forTenant("acme").test();
      await client.forTenant("globex").test();

      expect(
        sandbox.requests.count({ accountId: acme.id, fingerprint: keyFingerprint(rotated), status: 200 }),
      ).toBe(1);
      expect(sandbox.requests.count({ accountId: globex.id, status: 200 })).toBe(2);
      expect(vault.calls.count({ secret: "oncehub-acme", hasToken: true })).toBe(2);
      expect(vault.calls.count({ secret: "oncehub-globex", hasToken: true })).toBe(1);
    });
  });
});
