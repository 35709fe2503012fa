import type { OnceHubClient, WebhookEvent } from "@oncekey/core";
import { CONTRACT_TENANT_DOMAIN, CONTRACT_WEBHOOK_SECRET } from "@oncekey/test-support";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import {
  oncehubPlugin,
  oncehubWebhook,
  tenantFromHeader,
  tenantFromParam,
  tenantFromSubdomain,
} from "../src/index.js";

/** What the test app's webhook handlers saw, and every line its logger wrote. */
export interface AppRecord {
  readonly events: WebhookEvent[];
  /** Handler calls per route. */
  readonly calls: Record<string, number>;
  readonly logLines: string[];
}

/** The app the tests run. */
export interface TestApp {
  readonly app: FastifyInstance;
  readonly record: AppRecord;
}

/**
 * The contract app (see `FrameworkHarness`): a Fastify app wired as the README says, with the tenant read three
 * ways, each in its own encapsulated context: `/h/…` from `X-Tenant`, `/p/tenants/:tenant/…` from the route,
 * `/s/…` from the host name under `tenants.test`; `/own/…` uses the client's own key. Each `account` route calls
 * OnceHub's `/test` with `probe` from its query, so the sandbox's log names the request. Webhooks: `/webhooks`, and
 * `/p/tenants/:tenant/webhooks` with a secret per tenant. `POST /echo` parses JSON as the app does elsewhere. The
 * app's own error handler, set first, answers what the plugin leaves alone. The logger writes JSON lines to
 * `record.logLines`.
 */
export async function testApp(
  client: OnceHubClient,
  options: { tenantSecrets?: Record<string, string> } = {},
): Promise<TestApp> {
  const record: AppRecord = { events: [], calls: {}, logLines: [] };
  const app = Fastify({
    logger: { level: "info", stream: { write: (line: string) => void record.logLines.push(line) } },
  });
  app.setErrorHandler((error, _request, reply) => {
    const status = (error as { statusCode?: unknown }).statusCode;
    return reply.code(typeof status === "number" ? status : 500).send({ handledBy: "app" });
  });

  const handled = (route: string) => async (event: WebhookEvent) => {
    record.calls[route] = (record.calls[route] ?? 0) + 1;
    record.events.push(event);
    return { received: event.id };
  };
  await app.register(oncehubWebhook, {
    path: "/webhooks",
    secret: CONTRACT_WEBHOOK_SECRET,
    handler: handled("/webhooks"),
  });
  const secrets = options.tenantSecrets ?? {};
  await app.register(oncehubWebhook, {
    path: "/p/tenants/:tenant/webhooks",
    secret: async (request: FastifyRequest) => secrets[(request.params as { tenant: string }).tenant] ?? "",
    handler: handled("/p/tenants/:tenant/webhooks"),
  });

  const account = async (request: FastifyRequest) => {
    const { probe } = request.query as { probe?: string };
    return request.oncehub.request("GET", "/test", { query: { probe: probe ?? "" } });
  };
  const scoped = (tenant: ((request: FastifyRequest) => string | undefined) | undefined, path: string) =>
    app.register(async (context) => {
      await context.register(oncehubPlugin, tenant === undefined ? { client } : { client, tenant });
      context.get(path, account);
    });
  await scoped(tenantFromHeader("x-tenant"), "/h/account");
  await scoped(tenantFromParam("tenant"), "/p/tenants/:tenant/account");
  await scoped(tenantFromSubdomain({ domain: CONTRACT_TENANT_DOMAIN }), "/s/account");
  await scoped(undefined, "/own/account");
  await app.register(async (context) => {
    await context.register(oncehubPlugin, { client });
    context.get("/boom", async () => {
      throw new Error("not an oncekey error");
    });
  });

  app.post("/echo", async (request) => request.body);
  return { app, record };
}
