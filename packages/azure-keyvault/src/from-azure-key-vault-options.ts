import type { TokenCredential } from "@azure/identity";
import type { SecretClient, SecretClientOptions } from "@azure/keyvault-secrets";
import type { CachedOptions, OnceKeyEventListener, PacingStore } from "@oncekey/core";
import type { ThrottleRetryOptions } from "./read/retry-throttled.js";
import type { TenantToSecretName } from "./secret-name-template.js";

/**
 * Options of {@link fromAzureKeyVault}.
 *
 * @example
 * ```ts
 * const options: FromAzureKeyVaultOptions = {
 *   vaultUrl: "https://my-vault.vault.azure.net",
 *   secretName: "oncehub-{tenant}",
 *   refreshAheadMs: 300_000,
 * };
 * const keys = fromAzureKeyVault(options);
 * ```
 */
export interface FromAzureKeyVaultOptions {
  /** The vault, e.g. `https://my-vault.vault.azure.net`. */
  readonly vaultUrl: string;
  /**
   * The secret that holds the key; `{tenant}` in it makes one secret per tenant (`oncehub-{tenant}`), after a
   * fixed prefix so that tenant ids reach only the secrets under it. Key Vault names allow 1-127 letters, digits and
   * `-`, compared without case.
   */
  readonly secretName: string;
  /** Pins one version (32 hex digits) instead of the latest. Not with `{tenant}` or `refreshAheadMs`. @defaultValue the latest */
  readonly version?: string;
  /**
   * Maps a tenant id to the text that replaces `{tenant}`; it must be one-to-one. Without it, a tenant id with
   * `_` or upper-case letters, or one that makes the name longer than 127, is an `InvalidTenantError`.
   * @defaultValue the tenant id itself
   */
  readonly tenantToSecretName?: TenantToSecretName;
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
   * @defaultValue off: a key is reloaded only after OnceHub rejects it (or when `cache.ttlMs` passes)
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
  /**
   * Where the vault's read budget is kept (Key Vault allows 4,000 secret reads per 10 s per vault): pass the store
   * the OnceHub client paces with (`redisPacing(…)`) so that every process of a fleet reads within it together;
   * `azureKeyVaultSource` passes the configured one (`ONCEKEY_PACING_STORE`). `false`: no budget.
   * @defaultValue the process's own store: this process stays within the limit
   */
  readonly pacing?: PacingStore | false | undefined;
  /** Receives the cache's events: `key:loaded`, `key:rotated`, `key:stale` … */
  readonly onEvent?: OnceKeyEventListener;
  /**
   * Options of the cache around the vault (`maxTenants`, `ttlMs`, `ttlJitter`, `staleIfErrorMs`, `now` …; see
   * `cached`). They were options of their own before; passed at the top they are a `ConfigError` naming
   * `cache.<option>`.
   * @defaultValue `cached`'s defaults: a key is kept until OnceHub rejects it
   */
  readonly cache?: Omit<CachedOptions, "onEvent">;
  /**
   * For a provider built from configuration: the configuration variables that gave `vaultUrl` and `secretName`,
   * so messages tell to fix those (`ONCEKEY_KEYVAULT_URL`, `ONCEKEY_KEYVAULT_SECRET`) and show them where a value is
   * not repeated (`azure-keyvault:<host>/<ONCEKEY_KEYVAULT_SECRET>`). `azureKeyVaultSource` passes them; code leaves
   * this out.
   * @defaultValue none: the values are options passed in code
   */
  readonly configuredBy?: {
    /** The configuration variable that gave `vaultUrl`, e.g. `ONCEKEY_KEYVAULT_URL`. */
    readonly vaultUrl?: string;
    /** The configuration variable that gave `secretName`, e.g. `ONCEKEY_KEYVAULT_SECRET`. */
    readonly secretName?: string;
  };
}
