import type { OnceHubClient, OnceKeyError, WebhookEvent } from "@oncekey/core";
import { CONTRACT_TENANT_DOMAIN, CONTRACT_WEBHOOK_SECRET } from "@oncekey/test-support";
import express, { type Express } from "express";
import {
  oncehub,
  oncehubErrors,
  oncehubWebhook,
  tenantFromHeader,
  tenantFromParam,
  tenantFromSubdomain,
  type OncehubErrorsOptions,
  type OncehubMiddleware,
} from "../src/index.js";

/** What the test app's webhook handlers saw. */
export interface Deliveries {
  readonly events: WebhookEvent[];
  /** Handler calls per route. */
  readonly calls: Record<string, number>;
}

/** The app the tests run, with the middlewares it mounted. */
export interface TestApp {
  readonly app: Express;
  readonly middlewares: readonly OncehubMiddleware[];
  readonly deliveries: Deliveries;
}

/**
 * The contract app (see `FrameworkHarness`): an Express app wired as the README says, with the tenant read three ways: `/h/…` from `X-Tenant`,
 * `/p/tenants/:tenant/…` from the route, `/s/…` from the host name under `tenants.test`. Each `account` route calls
 * OnceHub's `/test` with `probe` from its query, so the sandbox's log names the request. Webhooks: `/webhooks`
 * before any parser, `/late/webhooks` after `express.json()`, `/kept/webhooks` after a parser that keeps the raw
 * body, `/p/tenants/:tenant/webhooks` with a secret per tenant.
 */
export function testApp(
  client: OnceHubClient,
  options: { errors?: OncehubErrorsOptions; tenantSecrets?: Record<string, string> } = {},
): TestApp {
  const app = express();
  const deliveries: Deliveries = { events: [], calls: {} };
  const handled =
    (route: string): express.RequestHandler =>
    (req, res) => {
      deliveries.calls[route] = (deliveries.calls[route] ?? 0) + 1;
      deliveries.events.push(req.oncehubEvent);
      res.status(200).json({ received: req.oncehubEvent.id });
    };
  const account: express.RequestHandler = async (req, res) => {
    const probe = typeof req.query.probe === "string" ? req.query.probe : "";
    res.json(await req.oncehub.request("GET", "/test", { query: { probe } }));
  };

  app.post("/webhooks", oncehubWebhook({ secret: CONTRACT_WEBHOOK_SECRET }), handled("/webhooks"));
  // A middleware that lets the whole body arrive, unread, before the webhook check runs.
  const received: express.RequestHandler = (req, _res, next) => {
    const wait = (): void => void (req.complete ? next() : setImmediate(wait));
    wait();
  };
  app.post(
    "/received/webhooks",
    received,
    oncehubWebhook({ secret: CONTRACT_WEBHOOK_SECRET }),
    handled("/received/webhooks"),
  );
  const secrets = options.tenantSecrets ?? {};
  app.post(
    "/p/tenants/:tenant/webhooks",
    oncehubWebhook({ secret: async (req) => secrets[String(req.params.tenant)] ?? "" }),
    handled("/p/tenants/:tenant/webhooks"),
  );

  const byHeader = oncehub({ client, tenant: tenantFromHeader("x-tenant") });
  const byParam = oncehub({ client, tenant: tenantFromParam("tenant") });
  const byHost = oncehub({ client, tenant: tenantFromSubdomain({ domain: CONTRACT_TENANT_DOMAIN }) });
  app.get("/h/account", byHeader, account);
  app.get("/p/tenants/:tenant/account", byParam, account);
  app.get("/s/account", byHost, account);
  app.get("/own/account", oncehub({ client }), account);

  app.post(
    "/kept/webhooks",
    express.json({ verify: (req, _res, buf) => void ((req as { rawBody?: Buffer }).rawBody = buf) }),
    oncehubWebhook({ secret: CONTRACT_WEBHOOK_SECRET }),
    handled("/kept/webhooks"),
  );
  app.use(express.json());
  app.post("/late/webhooks", oncehubWebhook({ secret: CONTRACT_WEBHOOK_SECRET }), handled("/late/webhooks"));
  app.get("/boom", () => {
    throw new Error("not an oncekey error");
  });

  app.use(oncehubErrors(options.errors));
  // The app's own handler, for everything oncehubErrors() leaves alone.
  app.use(((error, _req, res, _next) => {
    const status = (error as { status?: unknown }).status;
    res.status(typeof status === "number" ? status : 500).json({ handledBy: "app" });
  }) as express.ErrorRequestHandler);
  return { app, middlewares: [byHeader, byParam, byHost], deliveries };
}

/** An `onServerFault` that keeps what it was given. */
export function faultLog(): {
  readonly errors: OnceKeyError[];
  readonly onServerFault: (error: OnceKeyError) => void;
} {
  const errors: OnceKeyError[] = [];
  return { errors, onServerFault: (error) => void errors.push(error) };
}
