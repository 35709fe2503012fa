import type { TokenCredential } from "@azure/identity";
import type { SecretClient, SecretClientOptions } from "@azure/keyvault-secrets";
import { cached, ConfigError, type CachedOptions, type KeyProvider } from "@oncekey/core";
import { createKeyVaultReader } from "./read/key-vault-reader.js";
import { loadSecretClient } from "./read/load-secret-client.js";
import type { ThrottleRetryOptions } from "./read/retry-throttled.js";
import { createSecretNamer } from "./secret-namer.js";

/** Options of {@link fromAzureKeyVault}. */
export interface FromAzureKeyVaultOptions extends Pick<
  CachedOptions,
  | "maxTenants"
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

const VERSION = /^[0-9a-f]{32}$/i;

function fail(message: string, variable: string): never {
  throw new ConfigError(message, { variable });
}

function vaultUrlOf(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(
      `vaultUrl "${raw}" is not a URL. Use the vault's URI, e.g. https://my-vault.vault.azure.net.`,
      "vaultUrl",
    );
  }
  if (url.protocol !== "https:")
    fail(`vaultUrl "${raw}" must use https: the SDK refuses anything else.`, "vaultUrl");
  if (
    url.pathname !== "/" ||
    url.search !== "" ||
    url.hash !== "" ||
    url.username !== "" ||
    url.password !== ""
  ) {
    fail(
      `vaultUrl "${raw}" must be the vault's bare URI, e.g. https://my-vault.vault.azure.net.`,
      "vaultUrl",
    );
  }
  return url.origin;
}

/** The longest a Node timer can wait: a longer one fires after 1 ms (a poll every millisecond, a read never let finish). */
const MAX_TIMER_MS = 2_147_483_647;

function positive(value: number | undefined, fallback: number, name: string, integer = false): number {
  const result = value ?? fallback;
  if (!(typeof result === "number" && result > 0) || (integer && !Number.isInteger(result))) {
    fail(`${name} must be a positive ${integer ? "integer" : "number"}, got ${String(value)}.`, name);
  }
  return result;
}

function milliseconds(value: number | undefined, fallback: number, name: string): number {
  const result = positive(value, fallback, name);
  if (result > MAX_TIMER_MS)
    fail(`${name} must be at most ${MAX_TIMER_MS} ms (about 24.8 days), got ${value}.`, name);
  return result;
}

/** Catches options of the wrong type here, not as a `TypeError` (or a hung read) on the first `getKey`. */
function checkShapes(options: FromAzureKeyVaultOptions): void {
  if (typeof options !== "object" || options === null) {
    fail("fromAzureKeyVault needs an options object with vaultUrl and secretName.", "options");
  }
  const isObject = (value: unknown): boolean => typeof value === "object" && value !== null;
  const { tenantToSecretName, credential, client, clientOptions, enforceValidity } = options;
  if (tenantToSecretName !== undefined && typeof tenantToSecretName !== "function") {
    fail(
      "tenantToSecretName must be a function from a tenant id to the text for {tenant}.",
      "tenantToSecretName",
    );
  }
  if (credential !== undefined && !(isObject(credential) && typeof credential.getToken === "function")) {
    fail(
      "credential must be an Azure TokenCredential (with getToken), e.g. new DefaultAzureCredential().",
      "credential",
    );
  }
  if (
    client !== undefined &&
    !(isObject(client) && typeof client.getSecret === "function" && typeof client.vaultUrl === "string")
  ) {
    fail("client must be a SecretClient from @azure/keyvault-secrets.", "client");
  }
  if (clientOptions !== undefined && !isObject(clientOptions)) {
    fail("clientOptions must be an object of SecretClient options.", "clientOptions");
  }
  if (enforceValidity !== undefined && typeof enforceValidity !== "boolean") {
    fail(`enforceValidity must be true or false, got ${String(enforceValidity)}.`, "enforceValidity");
  }
}

function throttleRetryOf(
  option: ThrottleRetryOptions | false | undefined,
): Required<ThrottleRetryOptions> | false {
  if (option === false) return false;
  const maxRetries = option?.maxRetries ?? 3;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    fail(`throttleRetry.maxRetries must be an integer >= 0, got ${String(maxRetries)}.`, "throttleRetry");
  }
  return { maxRetries, baseDelayMs: milliseconds(option?.baseDelayMs, 1_000, "throttleRetry.baseDelayMs") };
}

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
  checkShapes(options);
  const vaultUrl = vaultUrlOf(options.vaultUrl);
  const secretName = options.secretName;
  if (typeof secretName !== "string") fail("secretName must be a string.", "secretName");
  const namer = createSecretNamer(secretName, options.tenantToSecretName);
  const perTenant = secretName.includes("{tenant}");
  const { version, client } = options;
  if (version !== undefined) {
    if (!VERSION.test(version))
      fail(`version "${version}" is not a Key Vault version id (32 hex digits).`, "version");
    if (perTenant) fail("version pins one version of one secret; it cannot go with {tenant}.", "version");
    if (options.refreshAheadMs !== undefined) {
      fail(
        "refreshAheadMs follows the latest version; it cannot go with a pinned version.",
        "refreshAheadMs",
      );
    }
  }
  if (client !== undefined) {
    if (options.credential !== undefined || options.clientOptions !== undefined) {
      fail("Pass either `client` or `credential`/`clientOptions`, not both.", "client");
    }
    if (client.vaultUrl.replace(/\/+$/, "") !== vaultUrl) {
      fail(`client is for ${client.vaultUrl}, not vaultUrl ${vaultUrl}.`, "client");
    }
  }
  const reader = createKeyVaultReader({
    vaultUrl,
    secretName,
    perTenant,
    namer,
    version,
    loadClient: async () =>
      client === undefined
        ? loadSecretClient(vaultUrl, options.credential, options.clientOptions)
        : { client, credentialName: "the client's credential" },
    timeoutMs: milliseconds(options.timeoutMs, 10_000, "timeoutMs"),
    throttleRetry: throttleRetryOf(options.throttleRetry),
    maxConcurrentReads: positive(options.maxConcurrentReads, 16, "maxConcurrentReads", true),
    maxWatched: options.maxTenants ?? 10_000,
    refreshAheadMs:
      options.refreshAheadMs === undefined
        ? undefined
        : milliseconds(options.refreshAheadMs, 0, "refreshAheadMs"),
    enforceValidity: options.enforceValidity ?? true,
    now: options.now ?? Date.now,
  });
  const cacheOptions: CachedOptions = Object.fromEntries(
    (
      [
        "maxTenants",
        "ttlMs",
        "ttlJitter",
        "staleIfErrorMs",
        "retryAfterErrorMs",
        "notFoundTtlMs",
        "onEvent",
        "now",
      ] as const
    )
      .filter((name) => options[name] !== undefined)
      .map((name) => [name, options[name]]),
  );
  return cached(reader, cacheOptions);
}
