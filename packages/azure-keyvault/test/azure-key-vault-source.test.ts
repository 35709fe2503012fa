import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveKeyProvider } from "@oncekey/core";
import { startFakeKeyVault, type FakeKeyVault } from "@oncekey/sandbox";
import { azureKeyVaultSource } from "../src/index.js";

// DefaultAzureCredential would look for Azure (managed identity, az login); the fake vault accepts any token.
jest.mock("@azure/identity", () => ({
  DefaultAzureCredential: class DefaultAzureCredential {
    async getToken(): Promise<{ token: string; expiresOnTimestamp: number }> {
      return { token: "default-credential-token", expiresOnTimestamp: Date.now() + 3_600_000 };
    }
  },
}));

describe("azureKeyVaultSource", () => {
  let vault: FakeKeyVault;
  let dir: string;
  let caFile: string;

  beforeAll(async () => {
    vault = await startFakeKeyVault();
    dir = mkdtempSync(join(tmpdir(), "oncekey-kv-"));
    caFile = join(dir, "vault-ca.pem");
    writeFileSync(caFile, vault.ca);
  });
  afterAll(async () => {
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is a KeySource named azure-keyvault that lists its variables", () => {
    expect(azureKeyVaultSource).toMatchObject({
      name: "azure-keyvault",
      variables: ["ONCEKEY_KEYVAULT_URL", "ONCEKEY_KEYVAULT_SECRET"],
      packageName: "@oncekey/azure-keyvault",
    });
  });

  describe("when the configuration is complete", () => {
    it("reads per-tenant keys from the configured vault, trusting ONCEKEY_CA_FILE", async () => {
      vault.setSecret("oncehub-acme", "key-acme-from-config");
      const keys = resolveKeyProvider(
        {
          ONCEKEY_SOURCE: "azure-keyvault",
          ONCEKEY_KEYVAULT_URL: vault.url,
          ONCEKEY_KEYVAULT_SECRET: "oncehub-{tenant}",
          ONCEKEY_CA_FILE: caFile,
        },
        [azureKeyVaultSource],
      );

      const key = await keys.getKey({ tenant: "acme" });

      expect(key.reveal()).toBe("key-acme-from-config");
      expect(keys.name).toBe("azure-keyvault");
      await keys.close?.();
    });
  });

  describe("when the configuration is wrong", () => {
    const base = { ONCEKEY_SOURCE: "azure-keyvault" };

    it.each<[string, Record<string, string>, string]>([
      ["the vault URL is missing", { ONCEKEY_KEYVAULT_SECRET: "k" }, "ONCEKEY_KEYVAULT_URL"],
      [
        "the secret is missing",
        { ONCEKEY_KEYVAULT_URL: "https://v.vault.azure.net" },
        "ONCEKEY_KEYVAULT_SECRET",
      ],
      [
        "the vault URL is not https",
        { ONCEKEY_KEYVAULT_URL: "http://v.vault.azure.net", ONCEKEY_KEYVAULT_SECRET: "k" },
        "ONCEKEY_KEYVAULT_URL",
      ],
      [
        "the vault URL holds {tenant}",
        { ONCEKEY_KEYVAULT_URL: "https://{tenant}.vault.azure.net", ONCEKEY_KEYVAULT_SECRET: "k" },
        "ONCEKEY_KEYVAULT_URL",
      ],
      [
        "the secret name has '_'",
        { ONCEKEY_KEYVAULT_URL: "https://v.vault.azure.net", ONCEKEY_KEYVAULT_SECRET: "a_b" },
        "ONCEKEY_KEYVAULT_SECRET",
      ],
    ])("throws a ConfigError naming the variable when %s", (_, env, variable) => {
      expect(() => resolveKeyProvider({ ...base, ...env }, [azureKeyVaultSource])).toThrow(
        expect.objectContaining({ code: "CONFIG", variable, message: expect.stringContaining(variable) }),
      );
    });
  });
});
