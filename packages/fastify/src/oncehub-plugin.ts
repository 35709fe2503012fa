import type { OnceHubClient, OnceKeyError } from "@oncekey/core";
import { clientOption, httpErrorAnswer } from "@oncekey/core/http";
import { checkOptionNames, functionOption } from "@oncekey/core/source";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { answerError } from "./answer-error.js";
import { REGISTER_OPTIONS } from "./fastify-options.js";
import { requestTenants } from "./request-tenants.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The app's OnceHub client, as given to `oncehubPlugin`. */
    oncehub: OnceHubClient;
  }
  interface FastifyRequest {
    /**
     * The OnceHub client for this request's tenant, or the app's client when the request names none. The tenant is
     * resolved when this is first read, so a route that never reads it never fails on a bad tenant id.
     */
    readonly oncehub: OnceHubClient;
  }
}

/**
 * Options of {@link oncehubPlugin}.
 *
 * @example
 * ```ts
 * const options: OncehubPluginOptions = { client, tenant: tenantFromHeader("x-tenant") };
 * ```
 */
export interface OncehubPluginOptions {
  /** The app's client, e.g. `OnceHubClient.fromEnvironment({ sources })`; closed when the app closes. */
  readonly client: OnceHubClient;
  /**
   * Which tenant a request is for: a tenant id, or `undefined` for the client's own key. Use
   * `tenantFromHeader`, `tenantFromSubdomain`, `tenantFromParam` or a function of your own; an invalid id is an
   * `InvalidTenantError` (400) before any key is read.
   * @defaultValue none: every request uses `client`
   */
  readonly tenant?: (request: FastifyRequest) => string | undefined;
}

const plugin: FastifyPluginAsync<OncehubPluginOptions> = async (app, options) => {
  checkOptionNames(options as unknown, ["client", "tenant", ...REGISTER_OPTIONS], "oncehubPlugin");
  const client = clientOption(options?.client, "oncehubPlugin");
  const tenant = functionOption<(request: FastifyRequest) => string | undefined>(
    options.tenant,
    "tenant",
    "returns the request's tenant id",
    "oncehubPlugin",
  );
  const clients = new WeakMap<FastifyRequest, OnceHubClient>();
  const clientFor = (request: FastifyRequest): OnceHubClient => {
    const id = tenant?.(request);
    if (id === undefined) return client;
    const tenantClient = client.forTenant(id);
    requestTenants.set(request, id);
    return tenantClient;
  };

  app.decorate("oncehub", client);
  app.decorateRequest("oncehub", {
    getter(this: FastifyRequest): OnceHubClient {
      let resolved = clients.get(this);
      if (resolved === undefined) {
        resolved = clientFor(this);
        clients.set(this, resolved);
      }
      return resolved;
    },
  });

  // Each route registered from here on gets an error handler that answers oncekey errors and throws any other
  // on, which in Fastify hands it to the handler of the route's context: the app's own, wherever and whenever it
  // was set, or Fastify's default. No setErrorHandler: it would clash with the app's own at the same level.
  const answerOncekeyError = (error: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    const answer = httpErrorAnswer(error, { tenant: requestTenants.get(request) });
    if (answer === undefined) throw error;
    answerError(error as OnceKeyError, answer, request, reply);
  };
  app.addHook("onRoute", (route) => {
    // A route with its own error handler keeps it: its author chose how its errors are answered.
    route.errorHandler ??= answerOncekeyError;
  });

  app.addHook("onClose", async () => {
    await client.close();
  });
};

/**
 * A Fastify plugin (wrapped with `fastify-plugin`, so it applies to the app it is registered on) that decorates
 * `app.oncehub` with the client and `request.oncehub` with the client of the request's tenant
 * (`client.forTenant(tenant(request))`, sharing connections and pacing), or the client itself when the request
 * names none.
 *
 * - The tenant is resolved when a handler first reads `request.oncehub`; an invalid id throws
 *   `InvalidTenantError` there, before any key is read.
 * - Every route registered after it (in its context and those below) answers oncekey errors the same way in
 *   every oncekey integration (`httpErrorAnswer` of `@oncekey/core/http`: 400, 404, OnceHub's 4xx, 502, 503 with
 *   `Retry-After`, 504, 500) with `{ "error": { "code", "message" } }` and never a stack, through a route-level
 *   error handler; any other error goes on to the app's own `setErrorHandler` (wherever it is set) or Fastify's
 *   default. A route with an `errorHandler` of its own keeps it. Answers are logged with `request.log`: the
 *   server's own faults at `error` with the library's message, which the answer replaces with a fixed sentence.
 * - The client is closed when the app closes (`onClose`).
 *
 * @example
 * ```ts
 * const app = Fastify({ logger: true });
 * await app.register(oncehubPlugin, { client, tenant: tenantFromHeader("x-tenant") });
 * app.get("/account", (request) => request.oncehub.test());
 * ```
 */
export const oncehubPlugin = fp(plugin, { fastify: "5.x", name: "@oncekey/fastify" });
