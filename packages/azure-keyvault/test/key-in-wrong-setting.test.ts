import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveKeyProvider, type KeyProvider } from "@oncekey/core";
import { CANARY_KEYS, type FakeKeyVault, holdsKey, printedForms, startFakeKeyVault } from "@oncekey/sandbox";
import { rejectionOf } from "@oncekey/test-support";
import { azureKeyVaultSource, fromAzureKeyVault } from "../src/index.js";

// DefaultAzureCredential would look for Azure (managed identity, az login); the fake vault accepts any token.
jest.mock("@azure/identity", () => ({
  DefaultAzureCredential: class DefaultAzureCredential {
    async getToken(): Promise<{ token: string; expiresOnTimestamp: number }> {
      return { token: "default-credential-token", expiresOnTimestamp: Date.now() + 3_600_000 };
    }
  },
}));

const shapes = Object.entries(CANARY_KEYS);
/** Keys that are valid Key Vault secret names, so ONCEKEY_KEYVAULT_SECRET accepts them. */
const nameShapes = shapes.filter(([shape]) => shape === "dashed" || shape === "hex");

describe("a key pasted into the wrong setting", () => {
  let vault: FakeKeyVault;
  let dir: string;
  let caFile: string;
  const opened: KeyProvider[] = [];
  const resolve = (env: Record<string, string>): KeyProvider => {
    const keys = resolveKeyProvider({ ONCEKEY_SOURCE: "azure-keyvault", ONCEKEY_CA_FILE: caFile, ...env }, [
      azureKeyVaultSource,
    ]);
    opened.push(keys);
    return keys;
  };

  beforeAll(async () => {
    vault = await startFakeKeyVault();
    dir = mkdtempSync(join(tmpdir(), "oncekey-kv-wrong-"));
    caFile = join(dir, "vault-ca.pem");
    writeFileSync(caFile, vault.ca);
  });
  afterAll(async () => {
    await Promise.all(opened.map((keys) => keys.close?.()));
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("when it is ONCEKEY_KEYVAULT_URL", () => {
    it.each(shapes)("does not repeat the %s key, but names the variable", (_shape, key) => {
      let error: unknown;
      try {
        resolve({ ONCEKEY_KEYVAULT_URL: key, ONCEKEY_KEYVAULT_SECRET: "oncehub" });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toMatchObject({
        code: "CONFIG",
        variable: "ONCEKEY_KEYVAULT_URL",
        message: expect.stringMatching(/^ONCEKEY_KEYVAULT_URL \(a value of \d+ characters\) is not/),
      });
      expect(holdsKey(printedForms(error), key)).toBe(false);
    });

    it("still quotes an http URL", () => {
      expect(() =>
        resolve({ ONCEKEY_KEYVAULT_URL: "http://v.vault.azure.net", ONCEKEY_KEYVAULT_SECRET: "oncehub" }),
      ).toThrow('ONCEKEY_KEYVAULT_URL ("http://v.vault.azure.net") must use https');
    });
  });

  describe("when it is ONCEKEY_KEYVAULT_SECRET", () => {
    it.each(shapes)("never repeats the %s key, at start-up or at getKey", async (_shape, key) => {
      const outcome = await rejectionOf(
        Promise.resolve().then(() =>
          resolve({ ONCEKEY_KEYVAULT_URL: vault.url, ONCEKEY_KEYVAULT_SECRET: key }).getKey(),
        ),
      );
      expect(outcome).toMatchObject({ code: expect.stringMatching(/^(CONFIG|KEY_NOT_FOUND)$/) });
      expect(holdsKey(printedForms(outcome), key)).toBe(false);
    });

    it.each(nameShapes)("names the variable in place of the %s key in sources", async (_shape, key) => {
      const host = new URL(vault.url).host;
      const keys = resolve({ ONCEKEY_KEYVAULT_URL: vault.url, ONCEKEY_KEYVAULT_SECRET: key });
      await expect(keys.getKey()).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
        source: `azure-keyvault:${host}/<ONCEKEY_KEYVAULT_SECRET>`,
        message: expect.stringContaining('There is no secret "<ONCEKEY_KEYVAULT_SECRET>" in Key Vault'),
      });
      const perTenant = resolve({
        ONCEKEY_KEYVAULT_URL: vault.url,
        ONCEKEY_KEYVAULT_SECRET: `${key}-{tenant}`,
      });
      for (const request of [undefined, { tenant: "acme" }, { tenant: "Acme" }]) {
        expect(holdsKey(printedForms(await rejectionOf(perTenant.getKey(request))), key)).toBe(false);
      }
      expect(holdsKey(printedForms(await rejectionOf(keys.getKey({ tenant: "acme" }))), key)).toBe(false);
    });

    it("serves a key from a long secret name without repeating the name", async () => {
      const name = "oncehub-production-api-key";
      vault.setSecret(name, "k-long-secret-name-0123");
      const key = await resolve({ ONCEKEY_KEYVAULT_URL: vault.url, ONCEKEY_KEYVAULT_SECRET: name }).getKey();
      expect(key.source).toBe(`azure-keyvault:${new URL(vault.url).host}/<ONCEKEY_KEYVAULT_SECRET>`);
      expect(printedForms(key)).not.toContain(name);
    });

    it("still quotes a short name", async () => {
      await expect(
        resolve({ ONCEKEY_KEYVAULT_URL: vault.url, ONCEKEY_KEYVAULT_SECRET: "oncehub-missing" }).getKey(),
      ).rejects.toMatchObject({
        source: `azure-keyvault:${new URL(vault.url).host}/oncehub-missing`,
        message: expect.stringContaining(`There is no secret "oncehub-missing" in Key Vault ${vault.url}`),
      });
      expect(() =>
        resolve({ ONCEKEY_KEYVAULT_URL: vault.url, ONCEKEY_KEYVAULT_SECRET: "a-{tenant}-{tenant}" }),
      ).toThrow("ONCEKEY_KEYVAULT_SECRET holds {tenant} more than once");
    });
  });

  describe("when it is an option of fromAzureKeyVault", () => {
    it.each(shapes)("never repeats the %s key passed as vaultUrl or secretName", (_shape, key) => {
      for (const options of [
        { vaultUrl: key, secretName: "oncehub" },
        { vaultUrl: "https://v.vault.azure.net", secretName: `${key}_` },
        { vaultUrl: "https://v.vault.azure.net", secretName: `${key}{tenant}{tenant}` },
      ]) {
        let error: unknown;
        try {
          fromAzureKeyVault(options);
        } catch (thrown) {
          error = thrown;
        }
        expect(error).toMatchObject({ code: "CONFIG" });
        expect(holdsKey(printedForms(error), key)).toBe(false);
      }
    });

    it("names the option in place of a long secret name", async () => {
      const keys = fromAzureKeyVault({ vaultUrl: "https://v.vault.azure.net", secretName: CANARY_KEYS.hex });
      opened.push(keys);
      await expect(keys.getKey({ tenant: "acme" })).rejects.toMatchObject({
        source: "azure-keyvault:v.vault.azure.net/<the secretName option>",
      });
    });
  });
});
