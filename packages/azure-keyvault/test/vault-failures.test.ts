import { describe, expect, it } from "@jest/globals";
import { inspect } from "node:util";
import type { OnceKeyEvent } from "@oncekey/core";
import type { FakeKeyVault } from "@oncekey/sandbox";
import { fromAzureKeyVault } from "../src/index.js";
import { useVaultProviders } from "./vault-providers.js";

describe(fromAzureKeyVault.name, () => {
  let vault: FakeKeyVault;
  const provider = useVaultProviders((started) => (vault = started), {
    throttleRetry: { maxRetries: 2, baseDelayMs: 1 },
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
        cache: { ttlMs: 60_000, now: () => now },
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
});
