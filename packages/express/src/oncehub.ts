import type { OnceHubClient, WebhookEvent } from "@oncekey/core";
import { clientOption } from "@oncekey/core/http";
import { checkOptionNames, functionOption } from "@oncekey/core/source";
import type { Request, RequestHandler } from "express";
import { requestTenants } from "./request-tenants.js";

// Express's request type is extended the way its own typings invite: through the global `Express.Request`
// interface, which `@types/express` merges into `Request`. This works whether or not the app can resolve
// `express-serve-static-core` itself (pnpm does not hoist it).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- the augmentation point Express's typings define
  namespace Express {
    interface Request {
      /**
       * The OnceHub client for this request's tenant, or the app's client when the request names none; set by
       * `oncehub()`. The tenant is resolved when this is first read, so a route that never reads it never fails on
       * a bad tenant id.
       */
      oncehub: OnceHubClient;
      /** The verified OnceHub webhook event; set by `oncehubWebhook()` before the route's handler runs. */
      oncehubEvent: WebhookEvent;
    }
  }
}

/**
 * Options of {@link oncehub}.
 *
 * @example
 * ```ts
 * const options: OncehubOptions = { client, tenant: tenantFromHeader("x-tenant") };
 * ```
 */
export interface OncehubOptions {
  /** The app's client, e.g. `OnceHubClient.fromEnvironment({ sources })`; `close()` closes it. */
  readonly client: OnceHubClient;
  /**
   * Which tenant a request is for: a tenant id, or `undefined` for the client's own key. Use
   * `tenantFromHeader`, `tenantFromSubdomain`, `tenantFromParam` or a function of your own; an invalid id is an
   * `InvalidTenantError` (400 through `oncehubErrors()`) before any key is read.
   * @defaultValue none: every request uses `client`
   */
  readonly tenant?: (req: Request) => string | undefined;
}

/**
 * The middleware {@link oncehub} returns, with `close()` to close the client when the server stops.
 *
 * @example
 * ```ts
 * const middleware: OncehubMiddleware = oncehub({ client });
 * server.on("close", () => void middleware.close());
 * ```
 */
export interface OncehubMiddleware extends RequestHandler {
  /** Closes the client (its connections, once requests in flight end, and a key source it owns). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Express middleware that gives each request `req.oncehub`: the client for the request's tenant
 * (`client.forTenant(tenant(req))`, sharing the client's connections and pacing), or `client` itself when the
 * request names no tenant.
 *
 * The tenant is resolved when a handler first reads `req.oncehub`, where route parameters are known, so
 * `tenantFromParam` works with an app-wide `app.use(oncehub(…))`, and a route that never reads it never fails on
 * a bad tenant id. An invalid id throws `InvalidTenantError` from that read, before any key is read; mount
 * {@link oncehubErrors} last to answer it (400) and every other oncekey error. `close()` closes the client:
 * call it when the server closes, e.g. `server.on("close", () => void middleware.close())`.
 *
 * @param options - {@link OncehubOptions}.
 * @returns The middleware, with `close()`.
 * @throws `ConfigError` for a missing client, a `tenant` that is not a function, or an unknown option.
 * @example
 * ```ts
 * const middleware = oncehub({ client, tenant: tenantFromHeader("x-tenant") });
 * app.use(middleware);
 * app.get("/account", async (req, res) => res.json(await req.oncehub.test()));
 * app.use(oncehubErrors());
 * const server = app.listen(3000);
 * server.on("close", () => void middleware.close());
 * ```
 */
export function oncehub(options: OncehubOptions): OncehubMiddleware {
  checkOptionNames(options as unknown, ["client", "tenant"], "oncehub");
  const client = clientOption(options?.client, "oncehub");
  const tenant = functionOption<(req: Request) => string | undefined>(
    options.tenant,
    "tenant",
    "returns the request's tenant id",
    "oncehub",
  );
  const clientFor = (req: Request): OnceHubClient => {
    const id = tenant?.(req);
    if (id === undefined) return client;
    const tenantClient = client.forTenant(id);
    requestTenants.set(req, id);
    return tenantClient;
  };
  const middleware: RequestHandler = (req, _res, next) => {
    let resolved: OnceHubClient | undefined;
    Object.defineProperty(req, "oncehub", {
      configurable: true,
      enumerable: true,
      get: (): OnceHubClient => (resolved ??= clientFor(req)),
    });
    next();
  };
  return Object.assign(middleware, { close: () => client.close() });
}
