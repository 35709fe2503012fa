/**
 * A request's headers as Node, Express and Fastify give them: lower-case names, a repeated header as an array.
 *
 * @example
 * ```ts
 * const headers: RequestHeaders = { "x-tenant": "acme", host: "acme.example.com" };
 * ```
 */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The least of an HTTP request the tenant helpers read: an Express or Fastify request, or a Nest app's underlying
 * one, fits it as is.
 *
 * @example
 * ```ts
 * const request: TenantRequest = { headers: { "x-tenant": "acme" }, hostname: "api.example.com", params: {} };
 * ```
 */
export interface TenantRequest {
  /** The request's headers, names in lower case. */
  readonly headers: RequestHeaders;
  /** The host name without port (Express's and Fastify's `hostname`); else the `Host` header is read. */
  readonly hostname?: string | undefined;
  /** The route's parameters, already decoded by the framework. */
  readonly params?: unknown;
}

/**
 * Says which tenant a request is for: a valid tenant id, or `undefined` for none (the client's own key). Throws
 * `InvalidTenantError` for an id that is not valid, before anything is read with it.
 *
 * @example
 * ```ts
 * const tenant: TenantResolver = (request) => validateTenant(request.headers["x-tenant"]);
 * ```
 */
export type TenantResolver<R = TenantRequest> = (request: R) => string | undefined;

/**
 * Options of the tenant helpers ({@link tenantFromHeader}, {@link tenantFromSubdomain}, {@link tenantFromParam}).
 *
 * @example
 * ```ts
 * tenantFromHeader("x-tenant", { required: false }); // no header: the client's own key
 * ```
 */
export interface TenantHelperOptions {
  /**
   * Whether a request that names no tenant is refused (`InvalidTenantError`, 400) rather than served with the
   * client's own key.
   * @defaultValue `true`
   */
  readonly required?: boolean;
}
