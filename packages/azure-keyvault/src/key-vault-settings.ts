import type { SecretClient } from "@azure/keyvault-secrets";
import { ConfigError } from "@oncekey/core";
import { describeConfigValue, quotableConfigValue } from "@oncekey/core/source";
import type { FromAzureKeyVaultOptions } from "./from-azure-key-vault.js";
import type { ThrottleRetryOptions } from "./read/retry-throttled.js";
import { createSecretNamer, type SecretNamer } from "./secret-namer.js";

/** {@link FromAzureKeyVaultOptions}, checked and with every default filled in. */
export interface KeyVaultSettings {
  /** The vault's origin, e.g. `https://my-vault.vault.azure.net`. */
  readonly vaultUrl: string;
  readonly secretName: string;
  /**
   * A secret name as sources and messages show it: itself, or `<ONCEKEY_KEYVAULT_SECRET>` when `secretName` is too
   * long to repeat (it could be a key pasted where the name belongs; see `quotableConfigValue`).
   */
  readonly shownName: (name: string) => string;
  readonly perTenant: boolean;
  readonly namer: SecretNamer;
  readonly version: string | undefined;
  readonly client: SecretClient | undefined;
  readonly timeoutMs: number;
  readonly throttleRetry: Required<ThrottleRetryOptions> | false;
  readonly maxConcurrentReads: number;
  readonly refreshAheadMs: number | undefined;
  readonly enforceValidity: boolean;
}

const VERSION = /^[0-9a-f]{32}$/i;

function fail(message: string, variable: string): never {
  throw new ConfigError(message, { variable });
}

function vaultUrlOf(raw: string): string {
  // Repeated only when it is plainly a URL: a key passed here must not reach a log, not even as a "scheme".
  const shown = quotableConfigValue(raw, "url");
  const named = shown === undefined ? `vaultUrl (${describeConfigValue(raw, "url")})` : `vaultUrl "${shown}"`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(`${named} is not a URL. Use the vault's URI, e.g. https://my-vault.vault.azure.net.`, "vaultUrl");
  }
  if (url.protocol !== "https:") {
    fail(
      url.protocol === "http:"
        ? `${named} must use https: the SDK refuses anything else.`
        : `${named} is not an https:// URL. Use the vault's URI, e.g. https://my-vault.vault.azure.net.`,
      "vaultUrl",
    );
  }
  if (
    url.pathname !== "/" ||
    url.search !== "" ||
    url.hash !== "" ||
    url.username !== "" ||
    url.password !== ""
  ) {
    fail(`${named} must be the vault's bare URI, e.g. https://my-vault.vault.azure.net.`, "vaultUrl");
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
 * Checks every option of `fromAzureKeyVault` and fills in the defaults, so a mistake is a `ConfigError` naming the
 * option when the provider is built, never a `TypeError`, a hung read or a hammered vault later.
 *
 * @param options - what `fromAzureKeyVault` was given
 * @param setting - what gave `secretName`, shown in its place when it is not repeated
 * @throws `ConfigError` with `variable` set to the option at fault
 * @example
 * ```ts
 * const { vaultUrl, namer } = keyVaultSettings({ vaultUrl: "https://v.vault.azure.net/", secretName: "k-{tenant}" });
 * ```
 */
export function keyVaultSettings(
  options: FromAzureKeyVaultOptions,
  setting = "the secretName option",
): KeyVaultSettings {
  checkShapes(options);
  const vaultUrl = vaultUrlOf(options.vaultUrl);
  const secretName = options.secretName;
  if (typeof secretName !== "string") fail("secretName must be a string.", "secretName");
  const namer = createSecretNamer(secretName, options.tenantToSecretName);
  const quoted = quotableConfigValue(secretName, "name") !== undefined;
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
  return {
    vaultUrl,
    secretName,
    shownName: (name) => (quoted ? name : `<${setting}>`),
    perTenant,
    namer,
    version,
    client,
    timeoutMs: milliseconds(options.timeoutMs, 10_000, "timeoutMs"),
    throttleRetry: throttleRetryOf(options.throttleRetry),
    maxConcurrentReads: positive(options.maxConcurrentReads, 16, "maxConcurrentReads", true),
    refreshAheadMs:
      options.refreshAheadMs === undefined
        ? undefined
        : milliseconds(options.refreshAheadMs, 0, "refreshAheadMs"),
    enforceValidity: options.enforceValidity ?? true,
  };
}
