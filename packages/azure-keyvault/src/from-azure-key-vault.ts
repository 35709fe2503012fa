import { cached, type KeyProvider } from "@oncekey/core";
import type { FromAzureKeyVaultOptions } from "./from-azure-key-vault-options.js";
import { keyVaultSettings } from "./key-vault-settings.js";
import { createKeyVaultReader } from "./read/key-vault-reader.js";
import { loadSecretClient } from "./read/load-secret-client.js";

/**
 * Reads OnceHub API keys from Azure Key Vault secrets, cached by core's `cached`.
 *
 * - One secret, or one per tenant with `{tenant}` in `secretName` after a fixed prefix; a tenant id that cannot
 *   form a Key Vault name is an `InvalidTenantError` before any call (see `tenantToSecretName`).
 * - Neither `@azure/keyvault-secrets` nor `@azure/identity` is loaded before the first read; the credential
 *   defaults to `DefaultAzureCredential`.
 * - Cached: no time-based re-read by default (API keys do not expire on a clock); a key OnceHub rejects
 *   (`invalidate`) is re-read once as the latest version; `cache.ttlMs` + `cache.ttlJitter` for fleets;
 *   `refreshAheadMs` to follow rotations early; when the vault fails, the last key is served for
 *   `cache.staleIfErrorMs` with a `key:stale` event.
 * - Errors: no secret → `KeyNotFoundError`; 403 (naming the identity and the vault), 401, throttling and 5xx
 *   after the SDK's retries, network, timeout, a disabled, expired or not-yet-valid secret → `KeySourceError`.
 * - `keyVaultMetadata(key)` gives the version and its created/updated times.
 * - Sources read `azure-keyvault:<host>/<secret name>`; a name longer than 20 characters is not repeated there or in
 *   messages (it could be a key pasted where the name belongs): `<the secretName option>` stands in.
 *
 * @param options - {@link FromAzureKeyVaultOptions}.
 * @returns A cached `KeyProvider` named `azure-keyvault`.
 * @throws `ConfigError` naming the option for invalid or unknown options, at once.
 * @example
 * ```ts
 * const keys = fromAzureKeyVault({ vaultUrl: "https://my-vault.vault.azure.net", secretName: "oncehub-{tenant}" });
 * const client = new OnceHubClient({ keys });
 * await client.forTenant("acme").test();
 * ```
 */
export function fromAzureKeyVault(options: FromAzureKeyVaultOptions): KeyProvider {
  const settings = keyVaultSettings(options);
  const { vaultUrl, client } = settings;
  const reader = createKeyVaultReader({
    ...settings,
    loadClient: async () =>
      client === undefined
        ? loadSecretClient(vaultUrl, options.credential, options.clientOptions)
        : { client, credentialName: "the client's credential" },
  });
  const onEvent = options.onEvent;
  return cached(reader, { ...options.cache, ...(onEvent === undefined ? {} : { onEvent }) });
}
