import { KeyNotFoundError } from "../errors/key-not-found-error.js";
import { ApiKey } from "../key/api-key.js";
import { checkOptionNames } from "../options/check-option-names.js";
import { describeTenant } from "../tenant/describe-tenant.js";
import { validateTenant } from "../tenant/validate-tenant.js";
import type { KeyProvider } from "./key-provider.js";

/**
 * Options of {@link staticKey}.
 *
 * @example
 * ```ts
 * const keys = staticKey(settings.oncehubKey, { source: "settings:oncehubKey" });
 * ```
 */
export interface StaticKeyOptions {
  /**
   * The source shown in messages and events.
   * @defaultValue `"static"`
   */
  readonly source?: string | undefined;
}

/**
 * A provider that always returns one key, validated at once. For tests, scripts and keys the app already holds;
 * a service reading its key from configuration should use a source (`fromEnv`, `fromFile` …) instead.
 *
 * The key belongs to no tenant: a request for a tenant gets {@link KeyNotFoundError}, so one tenant can never be
 * served a key that was not configured for it.
 *
 * @param key - The raw key.
 * @param options - {@link StaticKeyOptions}.
 * @throws {@link KeyFormatError} when `key` is not a valid key.
 * @example
 * ```ts
 * const client = new OnceHubClient({ keys: staticKey(sandbox.key), baseUrl: sandbox.baseUrl, ca: sandbox.ca });
 * ```
 */
export function staticKey(key: string, options: StaticKeyOptions = {}): KeyProvider {
  checkOptionNames(options, ["source"], "staticKey");
  const apiKey = ApiKey.from(key, { source: options.source ?? "static" });
  const result = Promise.resolve(apiKey);
  return {
    name: "static",
    getKey(request) {
      const tenant = request?.tenant;
      if (tenant === undefined) return result;
      try {
        validateTenant(tenant);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      return Promise.reject(
        new KeyNotFoundError(
          `A static key belongs to no tenant, so none is served for tenant ${describeTenant(tenant)}. ` +
            "Use a per-tenant source such as fromFile({ path: '/keys/{tenant}' }).",
          { source: apiKey.source },
        ),
      );
    },
  };
}
