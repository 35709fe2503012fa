import { ConfigError } from "../errors/config-error.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import { validateTenant } from "../tenant/validate-tenant.js";
import { resolveTenantHelperOptions } from "./resolve-tenant-helper-options.js";
import type { TenantHelperOptions, TenantRequest, TenantResolver } from "./tenant-request.js";

/**
 * A {@link TenantResolver} that reads the tenant id from a route parameter, e.g. `:tenant` in
 * `/tenants/:tenant/bookings`, as the framework decoded it.
 *
 * The id is checked with `validateTenant` before anything is read with it, so `/tenants/..%2Fx/…` or an id with
 * an encoded line break is an `InvalidTenantError` (400). A route without the parameter is refused the same way,
 * unless `required` is `false`.
 *
 * @param name - The parameter's name, without `:`.
 * @param options - {@link TenantHelperOptions}.
 * @returns The resolver, to pass as an integration's `tenant` option.
 * @throws `ConfigError` for an empty name or a bad option.
 * @example
 * ```ts
 * app.use(oncehub({ client, tenant: tenantFromParam("tenant") }));
 * app.get("/tenants/:tenant/bookings", async (req, res) => res.json(await req.oncehub.bookings.page()));
 * ```
 */
export function tenantFromParam(name: string, options?: TenantHelperOptions): TenantResolver<TenantRequest> {
  if (typeof name !== "string" || name === "" || name.startsWith(":")) {
    throw new ConfigError(
      `tenantFromParam: the parameter name must be a route parameter's name without ':', such as "tenant", got ${describeOptionValue(name)}.`,
      { variable: "name" },
    );
  }
  const missing = resolveTenantHelperOptions(options, "tenantFromParam");
  return (request) => {
    const params = request.params;
    const value =
      typeof params === "object" && params !== null && Object.hasOwn(params, name)
        ? (params as Record<string, unknown>)[name]
        : undefined;
    if (value === undefined) return missing(`the route has no :${name} parameter`);
    return validateTenant(value);
  };
}
