import type { TokenCredential } from "@azure/identity";
import type { SecretClient, SecretClientOptions } from "@azure/keyvault-secrets";
import { cached, ConfigError, type CachedOptions, type KeyProvider } from "@oncekey/core";
import { keyVaultSettings } from "./key-vault-settings.js";
import { createKeyVaultReader } from "./read/key-vault-reader.js";
import { loadSecretClient } from "./read/load-secret-client.js";
import type { ThrottleRetryOptions } from "./read/retry-throttled.js";

/** Options of {@link fromAzureKeyVault}. */
export interface FromAzureKeyVaultOptions extends Pick<
  CachedOptions,
  | "maxTenants"
  | "maxUnknownTenants"
  | "ttlMs"
  | "ttlJitter"
  | "staleIfErrorMs"
  | "retryAfterErrorMs"
  | "notFoundTtlMs"
  | "onEvent"
  | "now"
> {
  /** The vault, e.g. `https://my-vault.vault.azure.net`. */
  readonly vaultUrl: string;
  /**
   * The secret that holds the key; `{tenant}` in it makes one secret per tenant (`oncehub-{tenant}`).
   * Key Vault names allow 1-127 letters, digits and `-`, compared without case.
   */
  readonly secretName: string;
  /** Pins one version (32 hex digits) instead of the latest. Not with `{tenant}` or `refreshAheadMs`. @defaultValue the latest */
  readonly version?: string;
  /**
   * Maps a tenant id to the text that replaces `{tenant}`; it must be one-to-one. Without it, a tenant id with
   * `_` or upper-case letters, or one that makes the name longer than 127, is an `InvalidTenantError`.
   * @defaultValue the tenant id itself
   */
  readonly tenantToSecretName?: (tenant: string) => string;
  /** The Azure credential. @defaultValue `new DefaultAzureCredential()`, created (and `@azure/identity` loaded) on the first read */
  readonly credential?: TokenCredential;
  /** A ready `SecretClient` for `vaultUrl`; then `credential` and `clientOptions` are not used. @defaultValue one built on the first read */
  readonly client?: SecretClient;
  /** Options for the `SecretClient` built here (retries, TLS, proxy). @defaultValue the SDK's */
  readonly clientOptions?: SecretClientOptions;
  /**
   * Poll the latest version of every secret read this often, and reload a key as soon as its secret has a new
   * version, so a rotation is picked up before the old key is deleted at OnceHub. Costs one vault GET per
   * secret per interval per process.
   * @defaultValue off: a key is reloaded only after OnceHub rejects it (or when `ttlMs` passes)
   */
  readonly refreshAheadMs?: number;
  /** Time limit of one read, all retries included. @defaultValue `10_000` */
  readonly timeoutMs?: number;
  /**
   * Retries of a throttled read (429) with exponential backoff and full jitter, within `timeoutMs`; Key Vault may
   * send no `Retry-After`, and then the SDK does not retry. `false`: no retry beyond the SDK's.
   * @defaultValue `{ maxRetries: 3, baseDelayMs: 1_000 }`
   */
  readonly throttleRetry?: ThrottleRetryOptions | false;
  /** The most reads in flight at once. @defaultValue `16` */
  readonly maxConcurrentReads?: number;
  /**
   * Refuse a version past its expiry date or before its activation date (Key Vault itself serves them).
   * @defaultValue `true`
   */
  readonly enforceValidity?: boolean;
}

const CACHE_OPTIONS = [
  "maxTenants",
  "maxUnknownTenants",
  "ttlMs",
  "ttlJitter",
  "staleIfErrorMs",
  "retryAfterErrorMs",
  "notFoundTtlMs",
  "onEvent",
  "now",
] as const;

/**
 * Reads OnceHub API keys from Azure Key Vault secrets, cached by core's `cached`.
 *
 * - One secret, or one per tenant with `{tenant}` in `secretName`; a tenant id that cannot form a Key Vault
 *   name is an `InvalidTenantError` before any call (see `tenantToSecretName`).
 * - Neither `@azure/keyvault-secrets` nor `@azure/identity` is loaded before the first read; the credential
 *   defaults to `DefaultAzureCredential`.
 * - Cached: no time-based re-read by default (API keys do not expire on a clock); a key OnceHub rejects
 *   (`invalidate`) is re-read once as the latest version; `ttlMs` + `ttlJitter` for fleets; `refreshAheadMs` to
 *   follow rotations early; when the vault fails, the last key is served for `staleIfErrorMs` with a
 *   `key:stale` event.
 * - Errors: no secret → `KeyNotFoundError`; 403 (naming the identity and the vault), 401, throttling and 5xx
 *   after the SDK's retries, network, timeout, a disabled, expired or not-yet-valid secret → `KeySourceError`.
 * - `keyVaultMetadata(key)` gives the version and its created/updated times.
 * - Sources read `azure-keyvault:<host>/<secret name>`; a name longer than 20 characters is not repeated there or in
 *   messages (it could be a key pasted where the name belongs): `<the secretName option>` stands in.
 *
 * @param options - {@link FromAzureKeyVaultOptions}.
 * @returns A cached `KeyProvider` named `azure-keyvault`.
 * @throws `ConfigError` for invalid options, at once.
 * @example
 * ```ts
 * const keys = fromAzureKeyVault({ vaultUrl: "https://my-vault.vault.azure.net", secretName: "oncehub-{tenant}" });
 * const client = new OnceHubClient({ keys });
 * await client.forTenant("acme").test();
 * ```
 */
export function fromAzureKeyVault(options: FromAzureKeyVaultOptions): KeyProvider {
  return keyVaultProvider(options, "the secretName option");
}

/**
 * {@link fromAzureKeyVault}, told which setting gave `secretName`, so that a name too long to repeat (it could be a
 * key pasted where the name belongs) is shown as that setting: source `azure-keyvault:<host>/<ONCEKEY_KEYVAULT_SECRET>`.
 *
 * @param options - {@link FromAzureKeyVaultOptions}.
 * @param setting - `ONCEKEY_KEYVAULT_SECRET` for `azureKeyVaultSource`, the option for `fromAzureKeyVault`.
 * @example
 * ```ts
 * const keys = keyVaultProvider({ vaultUrl, secretName }, "ONCEKEY_KEYVAULT_SECRET");
 * ```
 */
export function keyVaultProvider(options: FromAzureKeyVaultOptions, setting: string): KeyProvider {
  const settings = keyVaultSettings(options, setting);
  const { vaultUrl, client } = settings;
  const reader = createKeyVaultReader({
    ...settings,
    loadClient: async () =>
      client === undefined
        ? loadSecretClient(vaultUrl, options.credential, options.clientOptions)
        : { client, credentialName: "the client's credential" },
    maxWatched: options.maxTenants ?? 10_000,
    now: options.now ?? Date.now,
  });
  const cacheOptions: CachedOptions = Object.fromEntries(
    CACHE_OPTIONS.filter((name) => options[name] !== undefined).map((name) => [name, options[name]]),
  );
  try {
    return cached(reader, cacheOptions);
  } catch (error) {
    // `cached` checks its own options with a RangeError or TypeError naming the option in `option`: report it as
    // a ConfigError, as for the rest.
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    const option = (error as { option?: unknown }).option;
    if (typeof option !== "string") throw error;
    throw new ConfigError(error.message.replace(/^cached: /, ""), { variable: option, cause: error });
  }
}
