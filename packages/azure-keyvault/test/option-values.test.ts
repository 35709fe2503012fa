import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS, type FakeKeyVault } from "@oncekey/sandbox";
import { rejectionOf, showsKey, thrownBy } from "@oncekey/test-support";
import { fromAzureKeyVault, type FromAzureKeyVaultOptions } from "../src/index.js";
import { useVaultProviders } from "./vault-providers.js";

// A key pasted into an option that wants a number, a boolean or a version id is described, never repeated.
const options: readonly [string, (key: string) => Record<string, unknown>][] = [
  ["timeoutMs", (key) => ({ timeoutMs: key })],
  ["maxConcurrentReads", (key) => ({ maxConcurrentReads: key })],
  ["refreshAheadMs", (key) => ({ refreshAheadMs: key })],
  ["version", (key) => ({ version: key })],
  ["throttleRetry.baseDelayMs", (key) => ({ throttleRetry: { baseDelayMs: key } })],
  ["throttleRetry.maxRetries", (key) => ({ throttleRetry: { maxRetries: key } })],
  ["enforceValidity", (key) => ({ enforceValidity: key })],
  ["cache.ttlMs", (key) => ({ cache: { ttlMs: key } })],
  ["cache.maxTenants", (key) => ({ cache: { maxTenants: key } })],
  ["cache.staleIfErrorMs", (key) => ({ cache: { staleIfErrorMs: key } })],
];

describe(`${fromAzureKeyVault.name} given a key for an option that is no text`, () => {
  describe.each(Object.entries(CANARY_KEYS))("(the %s canary)", (_shape, key) => {
    // 32 hex digits are a version id as well as a key: that one is taken, and then never repeated either (below).
    const refused = options.filter(([variable]) => variable !== "version" || key !== CANARY_KEYS.hex);
    it.each(refused)("names %s without repeating the key", (variable, given) => {
      const error = thrownBy(() =>
        fromAzureKeyVault({
          vaultUrl: "https://my-vault.vault.azure.net",
          secretName: "oncehub-api-key",
          ...given(key),
        } as FromAzureKeyVaultOptions),
      );
      expect(error).toMatchObject({ code: "CONFIG", variable });
      expect(showsKey(key, error)).toBe(false);
    });
  });
});

describe(`${fromAzureKeyVault.name} pinned to a version that is a key's 32 hex digits`, () => {
  let vault: FakeKeyVault;
  const provider = useVaultProviders((started) => (vault = started));

  it("speaks of the pinned version without repeating it", async () => {
    vault.setSecret("oncehub-api-key", "key-latest");
    const error = await rejectionOf(provider({ version: CANARY_KEYS.hex }).getKey());
    expect(error).toMatchObject({
      code: "KEY_NOT_FOUND",
      message: expect.stringContaining("the pinned version"),
    });
    expect(showsKey(CANARY_KEYS.hex, error)).toBe(false);
  });
});
