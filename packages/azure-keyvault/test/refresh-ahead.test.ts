import { afterEach, describe, expect, it, jest } from "@jest/globals";
import type { KeyVaultSecret, SecretClient } from "@azure/keyvault-secrets";
import type { KeyProvider } from "@oncekey/core";
import { fromAzureKeyVault } from "../src/index.js";

/** A stand-in SecretClient whose latest version the test sets, counting reads. */
function stubClient(vaultUrl: string): { client: SecretClient; reads: () => number; rotate(): void } {
  let version = 1;
  let reads = 0;
  const getSecret = async (name: string): Promise<KeyVaultSecret> => {
    reads += 1;
    const id = version.toString(16).padStart(32, "0");
    return { name, value: `key-${version}`, properties: { name, vaultUrl, version: id, enabled: true } };
  };
  return {
    client: { vaultUrl, getSecret } as unknown as SecretClient,
    reads: () => reads,
    rotate: () => void (version += 1),
  };
}

/** A provider over `client` that polls the latest version every second. */
const polling = (client: SecretClient): KeyProvider =>
  fromAzureKeyVault({
    vaultUrl: client.vaultUrl,
    secretName: "oncehub-api-key",
    client,
    refreshAheadMs: 1_000,
  });

describe("fromAzureKeyVault with refreshAheadMs", () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  describe("while open", () => {
    it("polls the latest version every interval and serves a rotated secret without a rejection", async () => {
      jest.useFakeTimers();
      const stub = stubClient("https://my-vault.vault.azure.net");
      const keys = polling(stub.client);
      expect((await keys.getKey()).reveal()).toBe("key-1");

      await jest.advanceTimersByTimeAsync(3_000);
      expect(stub.reads()).toBe(4);
      stub.rotate();
      await jest.advanceTimersByTimeAsync(1_000);

      expect((await keys.getKey()).reveal()).toBe("key-2");
      await keys.close?.();
    });
  });

  describe("when closed", () => {
    it("stops polling: its timer is released", async () => {
      jest.useFakeTimers();
      const stub = stubClient("https://my-vault.vault.azure.net");
      const keys = polling(stub.client);
      await keys.getKey();
      await jest.advanceTimersByTimeAsync(2_000);
      const readsWhenClosed = stub.reads();

      await keys.close?.();
      await jest.advanceTimersByTimeAsync(10_000);

      expect(readsWhenClosed).toBe(3);
      expect(stub.reads()).toBe(readsWhenClosed);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
