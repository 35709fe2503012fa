import { ConfigError } from "../errors/config-error.js";
import { InvalidTenantError } from "../errors/invalid-tenant-error.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import { validateTenant } from "../tenant/validate-tenant.js";
import { resolveTenantHelperOptions } from "./resolve-tenant-helper-options.js";
import type { TenantHelperOptions, TenantRequest, TenantResolver } from "./tenant-request.js";

/** An HTTP field name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A {@link TenantResolver} that reads the tenant id from a request header, e.g. `X-Tenant: acme`.
 *
 * The id is checked with `validateTenant` before anything is read with it: an invalid one, or the header sent
 * twice, is an `InvalidTenantError` (400). A request without the header is refused the same way, unless
 * `required` is `false` (then the client's own key serves it).
 *
 * @param name - The header's name, in any case.
 * @param options - {@link TenantHelperOptions}.
 * @returns The resolver, to pass as an integration's `tenant` option.
 * @throws `ConfigError` for a name that is not a header name, or a bad option.
 * @example
 * ```ts
 * app.use(oncehub({ client, tenant: tenantFromHeader("x-tenant") }));
 * ```
 */
export function tenantFromHeader(name: string, options?: TenantHelperOptions): TenantResolver<TenantRequest> {
  if (typeof name !== "string" || !HEADER_NAME.test(name)) {
    throw new ConfigError(
      `tenantFromHeader: the header name must be an HTTP header name such as "x-tenant", got ${describeOptionValue(name)}.`,
      { variable: "name" },
    );
  }
  const missing = resolveTenantHelperOptions(options, "tenantFromHeader");
  const field = name.toLowerCase();
  return (request) => {
    const value = request.headers[field];
    if (value === undefined) return missing(`send its id in the ${name} header`);
    if (typeof value !== "string") {
      throw new InvalidTenantError(`The ${name} header was sent ${value.length} times; send one tenant id.`);
    }
    return validateTenant(value);
  };
}
