import { ConfigError } from "../errors/config-error.js";
import { InvalidTenantError } from "../errors/invalid-tenant-error.js";
import { checkOptionNames } from "../options/check-option-names.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import { validateTenant } from "../tenant/validate-tenant.js";
import { resolveTenantHelperOptions } from "./resolve-tenant-helper-options.js";
import type { TenantHelperOptions, TenantRequest, TenantResolver } from "./tenant-request.js";

/**
 * Options of {@link tenantFromSubdomain}.
 *
 * @example
 * ```ts
 * const options: TenantFromSubdomainOptions = { domain: "example.com" }; // acme.example.com -> "acme"
 * ```
 */
export interface TenantFromSubdomainOptions extends TenantHelperOptions {
  /** The domain under which each tenant has its own name, e.g. `example.com` or `api.example.com`. */
  readonly domain: string;
}

/** A DNS name: labels of letters, digits and '-', separated by dots. */
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * A {@link TenantResolver} that reads the tenant id from the host name: `acme.example.com` under
 * `domain: "example.com"` is tenant `acme`.
 *
 * The host is the request's `hostname` (Express and Fastify set it; behind a proxy, as their `trust proxy` settings
 * say), else its `Host` header, without port. Host names ignore case, so the id is read in lower case. Exactly one
 * label must stand before the domain: `a.b.example.com` is an `InvalidTenantError`, and so is an id that
 * `validateTenant` refuses (400). A host that is the domain itself or lies outside it names no tenant: refused
 * the same way, unless `required` is `false`.
 *
 * @param options - {@link TenantFromSubdomainOptions}.
 * @returns The resolver, to pass as an integration's `tenant` option.
 * @throws `ConfigError` for a domain that is not a DNS name, or a bad option.
 * @example
 * ```ts
 * app.use(oncehub({ client, tenant: tenantFromSubdomain({ domain: "example.com" }) }));
 * ```
 */
export function tenantFromSubdomain(options: TenantFromSubdomainOptions): TenantResolver<TenantRequest> {
  checkOptionNames(options as unknown, ["domain", "required"], "tenantFromSubdomain");
  const { domain: given, ...rest } = options ?? ({} as Partial<TenantFromSubdomainOptions>);
  const domain = typeof given === "string" ? given.toLowerCase().replace(/^\./, "") : given;
  if (typeof domain !== "string" || !DOMAIN.test(domain)) {
    throw new ConfigError(
      `tenantFromSubdomain: domain must be a DNS name such as "example.com", got ${describeOptionValue(given)}.`,
      { variable: "domain" },
    );
  }
  const missing = resolveTenantHelperOptions(rest, "tenantFromSubdomain");
  const suffix = `.${domain}`;
  return (request) => {
    const host = hostOf(request);
    if (host === undefined || !host.endsWith(suffix)) {
      return missing(`use a host name <tenant>${suffix}`);
    }
    const label = host.slice(0, -suffix.length);
    if (label.includes(".")) {
      throw new InvalidTenantError(
        `The host name has more than one label before ${domain}; use <tenant>${suffix}.`,
      );
    }
    return validateTenant(label);
  };
}

/** The request's host name in lower case, without port; `undefined` when it has none. */
function hostOf(request: TenantRequest): string | undefined {
  let host = request.hostname;
  if (typeof host !== "string" || host === "") {
    const header = request.headers["host"];
    if (typeof header !== "string") return undefined;
    // "[::1]:8080" keeps its brackets; "example.com:8080" loses its port.
    host = header.startsWith("[") ? header.slice(0, header.indexOf("]") + 1) : header.replace(/:\d*$/, "");
  }
  return host.toLowerCase();
}
