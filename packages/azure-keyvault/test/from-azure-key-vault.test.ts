import { describe, expect, it } from "@jest/globals";
import { inspect } from "node:util";
import type { OnceKeyEvent } from "@oncekey/core";
import { startFakeKeyVault, type FakeKeyVault } from "@oncekey/sandbox";
import { fromAzureKeyVault, keyVaultMetadata } from "../src/index.js";
import { clientOptionsFor, FakeCredential } from "./fake-credential.js";
import { useVaultProviders } from "./vault-providers.js";

describe(fromAzureKeyVault.name, () => {
  let vault: FakeKeyVault;
  const provider = useVaultProviders((started) => (vault = started), {
    throttleRetry: { maxRetries: 2, baseDelayMs: 1 },
  });
  const withToken = (secret: string) => vault.calls.count({ secret, hasToken: true });

  describe("when the secret exists", () => {
    it("reads it through the challenge flow and names the source", async () => {
      const version = vault.setSecret("single", "key-single-1");

      const key = await provider({ secretName: "single" }).getKey();

      expect(key.reveal()).toBe("key-single-1");
      expect(key.source).toBe(`azure-keyvault:${new URL(vault.url).host}/single`);
      expect(vault.calls.all().map((call) => [call.hasToken, call.status])).toEqual([
        [false, 401],
        [true, 200],
      ]);
      expect(keyVaultMetadata(key)).toMatchObject({ vaultUrl: vault.url, secretName: "single", version });
      expect(keyVaultMetadata(key)?.createdOn).toBeInstanceOf(Date);
      expect(keyVaultMetadata(key)?.updatedOn).toBeInstanceOf(Date);
    });

    it("serves later calls from the cache without reading the vault again", async () => {
      vault.setSecret("cached", "key-cached");
      const keys = provider({ secretName: "cached" });

      const first = await keys.getKey();
      const again = await Promise.all(Array.from({ length: 50 }, () => keys.getKey()));

      expect(again.every((key) => key === first)).toBe(true);
      expect(withToken("cached")).toBe(1);
    });

    it("drops one trailing newline, as a vault value written from a file has", async () => {
      vault.setSecret("newline", "key-newline\n");
      expect((await provider({ secretName: "newline" }).getKey()).reveal()).toBe("key-newline");
    });
  });

  describe("when a version is pinned", () => {
    it("serves that version, also after a newer one is written and the key is invalidated", async () => {
      const pinned = vault.setSecret("pinned", "key-pinned-1");
      vault.setSecret("pinned", "key-pinned-2");
      const keys = provider({ secretName: "pinned", version: pinned });

      const key = await keys.getKey();
      keys.invalidate?.(key);

      expect(key.reveal()).toBe("key-pinned-1");
      expect((await keys.getKey()).reveal()).toBe("key-pinned-1");
    });
  });

  describe("when the secret is rotated", () => {
    it("reads the new latest version once after OnceHub rejects the old key", async () => {
      vault.setSecret("rotated", "key-rotated-1");
      const events: OnceKeyEvent[] = [];
      const keys = provider({ secretName: "rotated", onEvent: (event) => events.push(event) });
      const old = await keys.getKey();
      const newVersion = vault.setSecret("rotated", "key-rotated-2");

      expect(await keys.getKey()).toBe(old);
      for (let i = 0; i < 100; i += 1) keys.invalidate?.(old);
      const fresh = await Promise.all(Array.from({ length: 100 }, () => keys.getKey()));

      expect(fresh.every((key) => key.reveal() === "key-rotated-2")).toBe(true);
      expect(keyVaultMetadata(fresh[0]!)?.version).toBe(newVersion);
      expect(withToken("rotated")).toBe(2);
      expect(events.filter((event) => event.type === "key:rotated")).toHaveLength(1);
    });

    it("picks the new version up by refresh-ahead polling, with no rejection", async () => {
      vault.setSecret("polled", "key-polled-1");
      const keys = provider({ secretName: "polled", refreshAheadMs: 10 });
      expect((await keys.getKey()).reveal()).toBe("key-polled-1");

      vault.setSecret("polled", "key-polled-2");

      let served = "";
      for (let i = 0; i < 500 && served !== "key-polled-2"; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        served = (await keys.getKey()).reveal();
      }
      expect(served).toBe("key-polled-2");
    });
  });

  describe("when the secret does not exist", () => {
    it("rejects with KEY_NOT_FOUND naming the secret and vault", async () => {
      const reading = provider({ secretName: "missing" }).getKey();
      await expect(reading).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      await expect(reading).rejects.toThrow(`"missing" in Key Vault ${vault.url}`);
    });
  });

  describe("when the identity lacks get permission", () => {
    it("rejects with KEY_SOURCE naming the identity and the vault, without the bearer token", async () => {
      const restricted = await startFakeKeyVault({
        name: "payments-kv",
        tokens: { "list-only-token": { permissions: ["list"], identity: "appid=payments-api" } },
      });
      restricted.setSecret("guarded", "key-guarded");
      try {
        const keys = fromAzureKeyVault({
          vaultUrl: restricted.url,
          secretName: "guarded",
          credential: new FakeCredential("list-only-token"),
          clientOptions: clientOptionsFor(restricted),
        });
        const reading = keys.getKey();

        await expect(reading).rejects.toMatchObject({ code: "KEY_SOURCE" });
        const error = await reading.then(
          () => new Error("expected a rejection"),
          (e: unknown) => e as Error,
        );
        expect(error.message).toContain(`appid=payments-api (FakeCredential) lacks "get" permission`);
        expect(error.message).toContain(restricted.url);
        expect(inspect(error, { depth: 10 }) + JSON.stringify(error)).not.toContain("list-only-token");
        await keys.close?.();
      } finally {
        await restricted.close();
      }
    });
  });

  describe("when the secret is disabled, expired or not yet valid", () => {
    it("reports a disabled secret as disabled", async () => {
      vault.setSecret("disabled", "key-disabled", { enabled: false });
      const reading = provider({ secretName: "disabled" }).getKey();
      await expect(reading).rejects.toMatchObject({ code: "KEY_SOURCE" });
      await expect(reading).rejects.toThrow(/is disabled/);
    });

    it("reports an expired secret as expired", async () => {
      vault.setSecret("expired", "key-expired", { expiresOn: new Date(Date.UTC(2020, 0, 1)) });
      const reading = provider({ secretName: "expired" }).getKey();
      await expect(reading).rejects.toMatchObject({ code: "KEY_SOURCE" });
      await expect(reading).rejects.toThrow(/expired on 2020-01-01T00:00:00.000Z/);
    });

    it("reports a secret not valid yet", async () => {
      vault.setSecret("future", "key-future", { notBefore: new Date(Date.now() + 86_400_000) });
      await expect(provider({ secretName: "future" }).getKey()).rejects.toThrow(/not valid before/);
    });

    it("serves an expired secret when validity is not enforced", async () => {
      vault.setSecret("lenient", "key-lenient", { expiresOn: new Date(Date.UTC(2020, 0, 1)) });
      const key = await provider({ secretName: "lenient", enforceValidity: false }).getKey();
      expect(key.reveal()).toBe("key-lenient");
    });
  });

  describe("when one secret per tenant is read", () => {
    it("reads 1,000 tenants concurrently with one vault read per tenant", async () => {
      const tenants = Array.from({ length: 1_000 }, (_, i) => `tenant-${i}`);
      for (const tenant of tenants) vault.setSecret(`oncehub-${tenant}`, `key-${tenant}`);
      const keys = provider({ secretName: "oncehub-{tenant}" });

      const served = await Promise.all(
        tenants.flatMap((tenant) => [keys.getKey({ tenant }), keys.getKey({ tenant })]),
      );

      expect(served.map((key) => key.reveal())).toEqual(
        tenants.flatMap((tenant) => [`key-${tenant}`, `key-${tenant}`]),
      );
      expect(vault.calls.count({ hasToken: true, status: 200 })).toBe(1_000);
      expect(
        new Set(
          vault.calls
            .all()
            .filter((call) => call.hasToken)
            .map((call) => call.secret),
        ).size,
      ).toBe(1_000);
      expect(vault.calls.count({ hasToken: false })).toBe(1);
    });
  });
});
