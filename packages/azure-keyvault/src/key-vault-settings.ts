import type { SecretClient } from "@azure/keyvault-secrets";
import { ConfigError, type PacingStore } from "@oncekey/core";
import {
  booleanOption,
  checkOptionNames,
  checkSourceOptions,
  ConfiguredValue,
  describeOptionValue,
  functionOption,
  numberOption,
  objectOption,
  type TenantTemplate,
} from "@oncekey/core/source";
import type { FromAzureKeyVaultOptions } from "./from-azure-key-vault-options.js";
import type { ThrottleRetryOptions } from "./read/retry-throttled.js";
import { secretNameTemplate, type TenantToSecretName } from "./secret-name-template.js";

/** {@link FromAzureKeyVaultOptions}, checked and with every default filled in. */
export interface KeyVaultSettings {
  /** The vault's origin, e.g. `https://my-vault.vault.azure.net`. */
  readonly vaultUrl: string;
  /** The secret name, or one per tenant, with how messages and sources may show it. */
  readonly names: TenantTemplate;
  readonly version: string | undefined;
  readonly client: SecretClient | undefined;
  readonly timeoutMs: number;
  readonly throttleRetry: Required<ThrottleRetryOptions> | false;
  readonly maxConcurrentReads: number;
  readonly refreshAheadMs: number | undefined;
  readonly enforceValidity: boolean;
  /** The most secrets followed by refresh-ahead: the cache's tenant bound. */
  readonly maxWatched: number;
  /** The clock, the cache's. */
  readonly now: () => number;
  /** Where the vault's read budget is kept: the process's own store when undefined; `false` for none. */
  readonly pacing: PacingStore | false | undefined;
}

const WHERE = "fromAzureKeyVault";
const VERSION = /^[0-9a-f]{32}$/i;

/** The options of `fromAzureKeyVault` besides those every key source takes. */
const KNOWN = [
  "vaultUrl",
  "secretName",
  "version",
  "tenantToSecretName",
  "credential",
  "client",
  "clientOptions",
  "refreshAheadMs",
  "timeoutMs",
  "throttleRetry",
  "maxConcurrentReads",
  "enforceValidity",
  "pacing",
];

function fail(message: string, variable: string): never {
  throw new ConfigError(`${WHERE}: ${message}`, { variable });
}

function vaultUrlOf(value: ConfiguredValue): string {
  // Repeated only when it is plainly a URL: a key passed here must not reach a log, not even as a "scheme".
  const named = value.quoted ? `("${value.value}")` : `(${value.described()})`;
  let url: URL;
  try {
    url = new URL(value.value);
  } catch {
    throw value.error(`${named} is not a URL. Use the vault's URI, e.g. https://my-vault.vault.azure.net.`);
  }
  if (url.protocol !== "https:") {
    throw value.error(
      url.protocol === "http:"
        ? `${named} must use https: the SDK refuses anything else.`
        : `${named} is not an https:// URL. Use the vault's URI, e.g. https://my-vault.vault.azure.net.`,
    );
  }
  if (
    url.pathname !== "/" ||
    url.search !== "" ||
    url.hash !== "" ||
    url.username !== "" ||
    url.password !== ""
  ) {
    throw value.error(`${named} must be the vault's bare URI, e.g. https://my-vault.vault.azure.net.`);
  }
  return url.origin;
}

/** A string option that the rest builds on, as a configured value. */
function stringValue(
  value: unknown,
  shape: "url" | "name",
  origin: ReturnType<ReturnType<typeof checkSourceOptions>>,
  example: string,
): ConfiguredValue {
  const configured = new ConfiguredValue(typeof value === "string" ? value : "", shape, origin);
  if (typeof value !== "string" || value.trim() === "") {
    throw configured.error(`must be set, e.g. ${example}; got ${describeOptionValue(value)}.`);
  }
  return configured;
}

/** Catches options of the wrong type here, not as a `TypeError` (or a hung read) on the first `getKey`. */
function checkShapes(options: FromAzureKeyVaultOptions): void {
  const isObject = (value: unknown): boolean => typeof value === "object" && value !== null;
  const { credential, client, clientOptions } = options;
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
  objectOption(clientOptions, "clientOptions", "an object of SecretClient options", WHERE);
}

function throttleRetryOf(given: unknown): Required<ThrottleRetryOptions> | false {
  if (given === false) return false;
  checkOptionNames(given, ["maxRetries", "baseDelayMs"], WHERE, "throttleRetry");
  const option = given as Readonly<Record<string, unknown>> | undefined;
  return {
    maxRetries: numberOption(option?.maxRetries, "throttleRetry.maxRetries", 3, { integer: true }, WHERE),
    baseDelayMs: numberOption(
      option?.baseDelayMs,
      "throttleRetry.baseDelayMs",
      1_000,
      { exclusiveMin: true, unit: "ms" },
      WHERE,
    ),
  };
}

/**
 * Checks every option of `fromAzureKeyVault` and fills in the defaults, so a mistake is a `ConfigError` naming the
 * option (or, with `configuredBy`, the configuration variable) when the provider is built, never a `TypeError`, a
 * hung read or a hammered vault later. A value that could be a key (a string given for a number, a bad version
 * id, a long secret name) is described, never repeated.
 *
 * @param options - What `fromAzureKeyVault` was given.
 * @throws `ConfigError` with `variable` set to the option at fault.
 * @example
 * ```ts
 * const { vaultUrl, names } = keyVaultSettings({ vaultUrl: "https://v.vault.azure.net/", secretName: "k-{tenant}" });
 * ```
 */
export function keyVaultSettings(options: FromAzureKeyVaultOptions): KeyVaultSettings {
  const originOf = checkSourceOptions(options, {
    where: WHERE,
    known: KNOWN,
    configurable: ["vaultUrl", "secretName"],
  });
  if (options === undefined) fail("pass an options object with vaultUrl and secretName.", "options");
  checkShapes(options);
  const vaultUrl = vaultUrlOf(
    stringValue(options.vaultUrl, "url", originOf("vaultUrl"), "https://my-vault.vault.azure.net"),
  );
  const map = functionOption<TenantToSecretName>(
    options.tenantToSecretName,
    "tenantToSecretName",
    "maps a tenant id to the text for {tenant}",
    WHERE,
  );
  const names = secretNameTemplate(
    stringValue(options.secretName, "name", originOf("secretName"), "oncehub-api-key"),
    map,
    new URL(vaultUrl).host,
  );
  const { version, client } = options;
  if (version !== undefined) {
    if (typeof version !== "string" || !VERSION.test(version)) {
      // Not repeated: whatever was passed here could be a key.
      fail(
        `version must be a Key Vault version id (32 hex digits), got ${describeOptionValue(version)}.`,
        "version",
      );
    }
    if (names.perTenant)
      fail("version pins one version of one secret; it cannot go with {tenant}.", "version");
    if (options.refreshAheadMs !== undefined) {
      fail(
        "refreshAheadMs follows the latest version; it cannot go with a pinned version.",
        "refreshAheadMs",
      );
    }
  }
  if (client !== undefined) {
    if (options.credential !== undefined || options.clientOptions !== undefined) {
      fail("pass either client or credential/clientOptions, not both.", "client");
    }
    if (client.vaultUrl.replace(/\/+$/, "") !== vaultUrl) {
      fail(`client is for another vault than vaultUrl ${vaultUrl}.`, "client");
    }
  }
  const ms = (name: string, value: unknown, fallback: number): number =>
    numberOption(value, name, fallback, { exclusiveMin: true, unit: "ms" }, WHERE);
  const cache = options.cache;
  return {
    vaultUrl,
    names,
    version,
    client,
    timeoutMs: ms("timeoutMs", options.timeoutMs, 10_000),
    throttleRetry: throttleRetryOf(options.throttleRetry),
    maxConcurrentReads: numberOption(
      options.maxConcurrentReads,
      "maxConcurrentReads",
      16,
      { min: 1, integer: true },
      WHERE,
    ),
    refreshAheadMs:
      options.refreshAheadMs === undefined ? undefined : ms("refreshAheadMs", options.refreshAheadMs, 0),
    enforceValidity: booleanOption(options.enforceValidity, "enforceValidity", true, WHERE),
    // Checked with the rest of the cache's options by checkSourceOptions.
    maxWatched: cache?.maxTenants ?? 10_000,
    now: cache?.now ?? Date.now,
    pacing: pacingOf(options.pacing),
  };
}

/** The `pacing` option: a store (an object with `take`), `false`, or left out. */
function pacingOf(given: unknown): PacingStore | false | undefined {
  if (given === undefined || given === false) return given;
  if (typeof given === "object" && given !== null && typeof (given as PacingStore).take === "function") {
    return given as PacingStore;
  }
  return fail(
    `pacing must be a pacing store (the one the OnceHub client paces with, e.g. redisPacing(…)) or false, got ${describeOptionValue(given)}.`,
    "pacing",
  );
}
