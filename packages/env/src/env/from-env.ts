import {
  cached,
  ApiKey,
  KeyNotFoundError,
  type CachedOptions,
  type KeyProvider,
  type OnceKeyEventListener,
} from "@oncekey/core";
import {
  checkSourceOptions,
  describeTenant,
  functionOption,
  objectOption,
  type ConfiguredValue,
} from "@oncekey/core/source";
import {
  DEFAULT_VARIABLE,
  variableOf,
  variableTemplate,
  type TenantToVariable,
} from "../names/variable-template.js";

/**
 * Options of {@link fromEnv}; every field is optional.
 *
 * @example
 * ```ts
 * const options: FromEnvOptions = { variable: "ONCEHUB_API_KEY_{tenant}", cache: { ttlMs: 15 * 60_000 } };
 * const keys = fromEnv(options);
 * ```
 */
export interface FromEnvOptions {
  /**
   * The variable that holds the key. `{tenant}` makes it per tenant: `ONCEHUB_API_KEY_{tenant}` reads
   * `ONCEHUB_API_KEY_ACME_EU` for tenant `acme-eu` (upper case, `-` to `_`). The name must start with a fixed
   * prefix, so a tenant id can only reach variables under it.
   * @defaultValue `"ONCEHUB_API_KEY"`
   */
  readonly variable?: string;
  /**
   * Where to read variables, at each `getKey` (never at import or construction).
   * @defaultValue `process.env`
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Maps a tenant id to its variable, instead of the default mapping; only with `{tenant}` in `variable`. It
   * must return a name that keeps the prefix and suffix around `{tenant}`, and map no two ids to one name (a
   * second tenant that lands on a variable already used is refused).
   * @defaultValue upper case and `-` to `_`, for tenant ids of lower-case letters, digits and `-` only
   */
  readonly tenantToVariable?: TenantToVariable;
  /** Receives the cache's `key:loaded`, `key:rotated`, `key:invalidated` and `key:stale` events. */
  readonly onEvent?: OnceKeyEventListener;
  /**
   * Cache settings; see `cached`.
   * @defaultValue `cached`'s defaults: the key is kept until it is rejected
   */
  readonly cache?: Omit<CachedOptions, "onEvent">;
  /**
   * For a provider built from configuration: the configuration variable that gave `variable`, so messages tell to
   * fix that variable (`ONCEKEY_ENV_VAR`) instead of the option, and show it where the name is not repeated
   * (`env:<ONCEKEY_ENV_VAR>`). `envSource` passes `{ variable: "ONCEKEY_ENV_VAR" }`; code leaves it out.
   * @defaultValue none: the value is an option passed in code
   */
  readonly configuredBy?: {
    /** The configuration variable that gave `variable`, e.g. `ONCEKEY_ENV_VAR`. */
    readonly variable?: string;
  };
}

/**
 * Reads the OnceHub API key from an environment variable, per tenant if the name holds `{tenant}`.
 *
 * - The variable is read at `getKey`, never at import, and the returned provider is already `cached`: a key is
 *   kept until OnceHub rejects it (`invalidate`), then read again.
 * - An unset variable is {@link KeyNotFoundError} naming it, so a `chain` moves on; a set but empty or malformed
 *   one is a `KeyFormatError`, so a configured but broken source never falls through silently.
 * - `{tenant}`: tenant `acme-eu` reads `ONCEHUB_API_KEY_ACME_EU`. Because upper case and `-` → `_` would give
 *   `acme-eu`, `acme_eu` and `Acme-EU` one variable, the default mapping takes only tenant ids of lower-case
 *   letters, digits and `-`; others are an `InvalidTenantError` unless `tenantToVariable` maps them. Without
 *   `{tenant}`, a request for a tenant is "not found": the key belongs to no tenant.
 * - The key's source is `env:<VARIABLE>`. A name is repeated in sources and messages when it cannot be a key: up
 *   to 20 characters, or an environment variable name in the usual form (upper-case words joined by `_`, up to 64
 *   characters, such as `ACME_BILLING_SERVICE_ONCEHUB_API_KEY`). Any other (it could be a key pasted where the name
 *   belongs) is not: the source is `env:<the variable option>`.
 *
 * @param options - {@link FromEnvOptions}.
 * @throws `ConfigError` naming the option for a bad or unknown option: `variable` not a valid name, `env` or
 *   `cache` not an object, `tenantToVariable` not a function or without `{tenant}`.
 * @example
 * ```ts
 * import { fromEnv } from "@oncekey/env";
 *
 * const keys = fromEnv(); // ONCEHUB_API_KEY
 * const perTenant = fromEnv({ variable: "ONCEHUB_API_KEY_{tenant}" });
 * const key = await perTenant.getKey({ tenant: "acme-eu" }); // from ONCEHUB_API_KEY_ACME_EU
 * console.log(key.source); // env:ONCEHUB_API_KEY_ACME_EU
 * ```
 */
export function fromEnv(options?: FromEnvOptions): KeyProvider {
  const where = "fromEnv";
  const originOf = checkSourceOptions(options, {
    where,
    known: ["variable", "env", "tenantToVariable"],
    configurable: ["variable"],
  });
  const env = objectOption<Readonly<Record<string, string | undefined>>>(
    options?.env,
    "env",
    "an object of environment variables",
    where,
  );
  const map = functionOption<TenantToVariable>(
    options?.tenantToVariable,
    "tenantToVariable",
    "maps a tenant id to its variable",
    where,
  );
  const variable = variableOf(options?.variable, originOf("variable"));
  const names = variableTemplate(variable, map, (shown) => `env:${shown}`);

  const provider: KeyProvider = {
    name: "env",
    getKey: (request) =>
      names.read(request?.tenant, async (name) => {
        const source = names.sourceOf(name);
        const from = env ?? process.env;
        // Own properties only: an env object's prototype (a redacted copy's toJSON) is not a variable.
        const raw = Object.hasOwn(from, name) ? from[name] : undefined;
        if (typeof raw !== "string") throw notSet(variable, name, request?.tenant, source);
        return ApiKey.from(raw, { source });
      }),
  };
  const onEvent = options?.onEvent;
  return cached(provider, { ...options?.cache, ...(onEvent === undefined ? {} : { onEvent }) });
}

function notSet(
  variable: ConfiguredValue,
  name: string,
  tenant: string | undefined,
  source: string,
): KeyNotFoundError {
  const forTenant = tenant === undefined ? "" : ` (the key of tenant ${describeTenant(tenant)})`;
  if (variable.quoted) {
    return new KeyNotFoundError(`${name} is not set${forTenant}. Set it to an OnceHub API key.`, { source });
  }
  // The name is not repeated: it may be the key itself, pasted where the name belongs.
  const fix = variable.fromConfig
    ? `or, if ${variable.setting} holds the key itself, move the key to ${DEFAULT_VARIABLE} and unset ${variable.setting}.`
    : `or, if ${variable.setting} holds the key itself, pass the name of the variable that holds the key instead.`;
  return new KeyNotFoundError(
    `${capitalized(variable.spoken("variable", name))} is not set${forTenant}. Set it to an OnceHub API key, ${fix}`,
    { source },
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
