import {
  ApiKey,
  cached,
  KeyNotFoundError,
  type CachedOptions,
  type KeyProvider,
  type KeyRequest,
  type OnceKeyEventListener,
} from "@oncekey/core";
import { DEFAULT_VARIABLE, VariableNames, type TenantToVariable } from "../names/variable-names.js";
import { checkObject, checkOptions } from "../options/check-options.js";

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
   * second tenant that lands on a variable already served is refused).
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
 * - The key's source is `env:<VARIABLE>`. A name longer than 20 characters is not repeated in sources and
 *   messages (it could be a key pasted where the name belongs): the source is `env:<the variable option>`.
 *
 * @param options - {@link FromEnvOptions}.
 * @throws TypeError when `options`, `env` or `cache` is not an object, `variable` is not a valid name, or
 *   `tenantToVariable` comes without `{tenant}`.
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
export function fromEnv(given?: FromEnvOptions): KeyProvider {
  return envProvider(given, "the variable option");
}

/**
 * {@link fromEnv}, told which setting named the variable, so that a name too long to repeat (it may be a key
 * pasted where the name belongs) is shown as that setting: source `env:<ONCEKEY_ENV_VAR>`.
 *
 * @param given - {@link FromEnvOptions}.
 * @param setting - `ONCEKEY_ENV_VAR` for `envSource`, the option for `fromEnv`.
 * @example
 * ```ts
 * const keys = envProvider({ variable: configuredVariable(config, "env"), env: config.env }, "ONCEKEY_ENV_VAR");
 * ```
 */
export function envProvider(given: FromEnvOptions | undefined, setting: string): KeyProvider {
  const options: FromEnvOptions = checkOptions(given, "fromEnv");
  checkObject(options.env, "env", "fromEnv");
  checkObject(options.cache, "cache", "fromEnv");
  const names = VariableNames.fromOptions(
    options.variable,
    options.tenantToVariable,
    "fromEnv",
    (v) => `env:${v}`,
    setting,
  );
  const provider: KeyProvider = {
    name: "env",
    async getKey(request?: KeyRequest): Promise<ApiKey> {
      const tenant = request?.tenant;
      const variable = names.nameFor(tenant);
      const source = `env:${names.shown(variable)}`;
      const env = options.env ?? process.env;
      // Own properties only: an env object's prototype (a redacted copy's toJSON) is not a variable.
      const raw = Object.hasOwn(env, variable) ? env[variable] : undefined;
      if (typeof raw !== "string") {
        throw new KeyNotFoundError(
          names.quoted
            ? `${variable} is not set${forTenant(tenant)}. Set it to an OnceHub API key.`
            : `${capitalized(names.spoken(variable))} is not set${forTenant(tenant)}. Set it to an OnceHub API ` +
                `key, or, if ${setting} holds the key itself, move the key to ${DEFAULT_VARIABLE} and unset ` +
                `${setting}.`,
          { source },
        );
      }
      const key = ApiKey.from(raw, { source });
      names.claim(variable, tenant);
      return key;
    },
  };
  return cached(provider, {
    ...options.cache,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });
}

function forTenant(tenant: string | undefined): string {
  return tenant === undefined ? "" : ` (the key of tenant "${tenant}")`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
