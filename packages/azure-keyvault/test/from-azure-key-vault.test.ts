import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { inspect } from "node:util";
import type { OnceKeyEvent } from "@oncekey/core";
import { startFakeKeyVault, type FakeKeyVault } from "@oncekey/sandbox";
import { fromAzureKeyVault, keyVaultMetadata, type FromAzureKeyVaultOptions } from "../src/index.js";
import { clientOptionsFor, FakeCredential } from "./fake-credential.js";

describe(fromAzureKeyVault.name, () => {
  let vault: FakeKeyVault;
  const opened: { close?(): Promise<void> }[] = [];

  const provider = (options: Partial<FromAzureKeyVaultOptions> = {}) => {
    const keys = fromAzureKeyVault({
      vaultUrl: vault.url,
      secretName: "oncehub-api-key",
      credential: new FakeCredential(),
      clientOptions: clientOptionsFor(vault),
      throttleRetry: { maxRetries: 2, baseDelayMs: 1 },
      ...options,
    });
    opened.push(keys);
    return keys;
  };
  const withToken = (secret: string) => vault.calls.count({ secret, hasToken: true });

  beforeAll(async () => {
    vault = await startFakeKeyVault();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((keys) => keys.close?.()));
    vault.faults.clear();
    vault.calls.clear();
  });
  afterAll(async () => {
    await vault.close();
  });

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

  describe("when the vault throttles", () => {
    it("succeeds after the SDK's retries honour Retry-After", async () => {
      vault.setSecret("throttled", "key-throttled");
      const keys = provider({ secretName: "throttled" });
      vault.faults.inject({ kind: "throttle", times: 2, retryAfterSeconds: 0, secret: "throttled" });

      expect((await keys.getKey()).reveal()).toBe("key-throttled");
      expect(vault.calls.count({ secret: "throttled", status: 429 })).toBe(2);
    });

    it("retries a 429 without Retry-After itself, since the SDK does not", async () => {
      vault.setSecret("throttled-bare", "key-throttled-bare");
      vault.faults.inject({ kind: "throttle", times: 2, retryAfterSeconds: null, secret: "throttled-bare" });

      expect((await provider({ secretName: "throttled-bare" }).getKey()).reveal()).toBe("key-throttled-bare");
      expect(vault.calls.count({ secret: "throttled-bare", status: 429 })).toBe(2);
    });

    it("gives up after throttleRetry.maxRetries", async () => {
      vault.setSecret("throttled-bare-long", "key");
      vault.faults.inject({ kind: "throttle", times: Infinity, retryAfterSeconds: null });

      await expect(provider({ secretName: "throttled-bare-long" }).getKey()).rejects.toMatchObject({
        code: "KEY_SOURCE",
      });
      expect(vault.calls.count({ secret: "throttled-bare-long", status: 429 })).toBe(3);
    });

    it("rejects with KEY_SOURCE once the retries are spent", async () => {
      vault.setSecret("throttled-long", "key");
      vault.faults.inject({ kind: "throttle", times: Infinity, retryAfterSeconds: 0 });
      const reading = provider({ secretName: "throttled-long" }).getKey();
      await expect(reading).rejects.toMatchObject({ code: "KEY_SOURCE" });
      await expect(reading).rejects.toThrow(/throttled .* \(429\)/);
    });
  });

  describe("when the vault fails", () => {
    it("rejects a lasting 500 with KEY_SOURCE after the SDK's retries", async () => {
      vault.setSecret("failing", "key");
      vault.faults.inject({ kind: "server-error", times: Infinity });
      await expect(provider({ secretName: "failing" }).getKey()).rejects.toMatchObject({
        code: "KEY_SOURCE",
      });
      expect(vault.calls.count({ secret: "failing", status: 500 })).toBe(3);
    });

    it("rejects lasting connection resets with KEY_SOURCE naming the network error", async () => {
      vault.setSecret("resetting", "key");
      vault.faults.inject({ kind: "reset", times: Infinity });
      const reading = provider({ secretName: "resetting" }).getKey();
      await expect(reading).rejects.toMatchObject({ code: "KEY_SOURCE" });
      await expect(reading).rejects.toThrow(/ECONNRESET/);
    });

    it("rejects an answer cut short with KEY_SOURCE, never repeating the body that holds the secret", async () => {
      vault.setSecret("cut-short", "key-cut-short-secret-value");
      vault.faults.inject({ kind: "truncated-body", secret: "cut-short", times: Infinity });
      const reading = provider({ secretName: "cut-short" }).getKey();

      await expect(reading).rejects.toMatchObject({ code: "KEY_SOURCE" });
      const error = await reading.then(
        () => new Error("expected a rejection"),
        (e: unknown) => e as Error,
      );
      expect(error.message).toMatch(/parsing the response body \(the body is not repeated\)/);
      expect(inspect(error, { depth: 10 }) + JSON.stringify(error) + String(error.stack)).not.toContain(
        "key-cut-short-secret-value",
      );
    });

    it("serves the cached key while the vault is down, with a key:stale event", async () => {
      vault.setSecret("down", "key-down");
      let now = 1_000_000;
      const events: OnceKeyEvent[] = [];
      const keys = provider({
        secretName: "down",
        ttlMs: 60_000,
        now: () => now,
        onEvent: (e) => events.push(e),
      });
      const key = await keys.getKey();

      vault.faults.inject({ kind: "reset", times: Infinity });
      now += 61_000;

      await expect(keys.getKey()).resolves.toBe(key);
      expect(events).toContainEqual(
        expect.objectContaining({ type: "key:stale", fingerprint: key.fingerprint, errorCode: "KEY_SOURCE" }),
      );
    });

    it("rejects with KEY_SOURCE when the vault does not answer in time", async () => {
      vault.setSecret("slow", "key");
      vault.faults.inject({ kind: "delay", delayMs: 5_000, times: Infinity, secret: "slow" });
      const reading = provider({ secretName: "slow", timeoutMs: 100 }).getKey();
      await expect(reading).rejects.toMatchObject({ code: "KEY_SOURCE" });
      await expect(reading).rejects.toThrow(/did not answer .* within 100 ms/);
    });

    it("rejects with KEY_SOURCE when no Azure credential is available", async () => {
      const unavailable = {
        async getToken(): Promise<never> {
          throw Object.assign(new Error("No credential in this environment."), {
            name: "CredentialUnavailableError",
          });
        },
      };
      vault.setSecret("no-credential", "key");
      const reading = provider({ secretName: "no-credential", credential: unavailable }).getKey();
      await expect(reading).rejects.toMatchObject({ code: "KEY_SOURCE" });
      await expect(reading).rejects.toThrow(/^The credential could not get a token .*\(az login\)/);
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
