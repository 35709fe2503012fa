import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { startFakeKeyVault, type FakeKeyVault } from "@oncekey/sandbox";
import { clientOptionsFor, FakeCredential } from "./fake-credential.js";

const loaded: string[] = [];
const defaultCredentials: unknown[] = [];

// Factories run when the module is first required, so they record when each Azure package is loaded.
jest.mock("@azure/keyvault-secrets", () => {
  loaded.push("@azure/keyvault-secrets");
  return jest.requireActual("@azure/keyvault-secrets");
});
jest.mock("@azure/identity", () => {
  loaded.push("@azure/identity");
  return {
    DefaultAzureCredential: class DefaultAzureCredential extends FakeCredential {
      constructor() {
        super();
        defaultCredentials.push(this);
      }
    },
  };
});

describe("fromAzureKeyVault", () => {
  let vault: FakeKeyVault;

  beforeAll(async () => {
    vault = await startFakeKeyVault();
    vault.setSecret("lazy", "key-lazy");
  });
  afterAll(async () => {
    await vault.close();
  });

  describe("when the package is imported and a provider is built", () => {
    it("loads no Azure package until the first read, then DefaultAzureCredential only without a credential", async () => {
      const { fromAzureKeyVault } = await import("../src/index.js");
      const withCredential = fromAzureKeyVault({
        vaultUrl: vault.url,
        secretName: "lazy",
        credential: new FakeCredential(),
        clientOptions: clientOptionsFor(vault),
      });
      const withDefault = fromAzureKeyVault({
        vaultUrl: vault.url,
        secretName: "lazy",
        clientOptions: clientOptionsFor(vault),
      });
      expect(loaded).toEqual([]);

      await withCredential.getKey();
      expect(loaded).toEqual(["@azure/keyvault-secrets"]);

      const key = await withDefault.getKey();
      expect(key.reveal()).toBe("key-lazy");
      expect(loaded).toEqual(["@azure/keyvault-secrets", "@azure/identity"]);
      expect(defaultCredentials).toHaveLength(1);
    });
  });
});
