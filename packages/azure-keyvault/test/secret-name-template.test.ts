import { describe, expect, it } from "@jest/globals";
import { resolveKeyProvider } from "@oncekey/core";
import { thrownBy } from "@oncekey/test-support";
import { azureKeyVaultSource, fromAzureKeyVault } from "../src/index.js";

const vaultUrl = "https://my-vault.vault.azure.net";

describe("a secretName template", () => {
  // Without a fixed prefix, a tenant id equal to another secret's name (or its start) would read that secret.
  it.each(["{tenant}", "{tenant}-oncehub"])(
    "needs a fixed prefix before {tenant}: %s is refused",
    (secretName) => {
      const error = thrownBy(() => fromAzureKeyVault({ vaultUrl, secretName }));
      expect(error).toMatchObject({ code: "CONFIG", variable: "secretName" });
      expect((error as Error).message).toMatch(/fixed prefix/);
    },
  );

  it("names ONCEKEY_KEYVAULT_SECRET when the configuration holds a bare {tenant}", () => {
    const error = thrownBy(() =>
      resolveKeyProvider(
        {
          ONCEKEY_SOURCE: "azure-keyvault",
          ONCEKEY_KEYVAULT_URL: vaultUrl,
          ONCEKEY_KEYVAULT_SECRET: "{tenant}",
        },
        [azureKeyVaultSource],
      ),
    );
    expect(error).toMatchObject({ code: "CONFIG", variable: "ONCEKEY_KEYVAULT_SECRET" });
    expect((error as Error).message).toMatch(/^ONCEKEY_KEYVAULT_SECRET starts with \{tenant\}/);
  });

  it("takes a prefix of its own", async () => {
    const keys = fromAzureKeyVault({ vaultUrl, secretName: "oncehub-{tenant}" });
    await keys.close?.();
  });
});
