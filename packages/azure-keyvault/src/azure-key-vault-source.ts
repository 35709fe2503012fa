import { rootCertificates } from "node:tls";
import type { KeySource } from "@oncekey/core";
import { requireConfigVariable } from "@oncekey/core/source";
import { fromAzureKeyVault } from "./from-azure-key-vault.js";

/**
 * The `azure-keyvault` key source, selected by `ONCEKEY_SOURCE=azure-keyvault`.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `ONCEKEY_KEYVAULT_URL` | the vault URI, e.g. `https://my-vault.vault.azure.net` (required) |
 * | `ONCEKEY_KEYVAULT_SECRET` | the secret name; may hold `{tenant}` (required) |
 * | `ONCEKEY_CA_FILE` | an extra CA to trust, added to the public ones (a TLS-inspecting proxy, a local vault) |
 *
 * The credential is `DefaultAzureCredential` (managed identity, workload identity, `AZURE_CLIENT_ID` …, `az
 * login`). A missing or invalid variable is a `ConfigError` when the provider is resolved, at start-up. Values are
 * repeated in messages and sources only when they could not be a key: a plain `https://` URL, a secret name of at
 * most 20 characters (else `azure-keyvault:<host>/<ONCEKEY_KEYVAULT_SECRET>`). `{tenant}` in the secret name needs
 * a fixed prefix (`oncehub-{tenant}`).
 *
 * @example
 * ```ts
 * // ONCEKEY_SOURCE=azure-keyvault ONCEKEY_KEYVAULT_URL=https://my-vault.vault.azure.net ONCEKEY_KEYVAULT_SECRET=oncehub-{tenant}
 * const keys = resolveKeyProvider(process.env, [envSource, fileSource, azureKeyVaultSource]);
 * ```
 */
export const azureKeyVaultSource: KeySource = {
  name: "azure-keyvault",
  variables: ["ONCEKEY_KEYVAULT_URL", "ONCEKEY_KEYVAULT_SECRET"],
  packageName: "@oncekey/azure-keyvault",
  fromConfig(config) {
    const source = "azure-keyvault";
    const vaultUrl = requireConfigVariable(config, "ONCEKEY_KEYVAULT_URL", {
      source,
      example: "https://my-vault.vault.azure.net",
      tenantTemplate: false,
    });
    const secretName = requireConfigVariable(config, "ONCEKEY_KEYVAULT_SECRET", {
      source,
      example: "oncehub-api-key",
    });
    return fromAzureKeyVault({
      vaultUrl,
      secretName,
      // `ca` alone would replace the public roots, and the real vault needs them.
      ...(config.ca === undefined
        ? {}
        : { clientOptions: { tlsOptions: { ca: [...rootCertificates, config.ca] } } }),
      configuredBy: { vaultUrl: "ONCEKEY_KEYVAULT_URL", secretName: "ONCEKEY_KEYVAULT_SECRET" },
      // The fleet's shared store (ONCEKEY_PACING_STORE), so every instance reads the vault within its limit together.
      ...(config.pacing === undefined ? {} : { pacing: config.pacing }),
    });
  },
};
