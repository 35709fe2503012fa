import type { OnceHubClient } from "@oncekey/core";
import {
  oncehub,
  oncehubErrors,
  oncehubWebhook,
  tenantFromParam,
  type OncehubMiddleware,
} from "@oncekey/express";
import express, { type Express } from "express";

/** The app and its OnceHub middleware, whose `close()` closes the client. */
export interface App {
  readonly app: Express;
  readonly middleware: OncehubMiddleware;
}

/**
 * A multi-tenant service: `/tenants/:tenant/…` calls OnceHub with that tenant's key, `/webhooks/oncehub` receives
 * OnceHub's deliveries, and oncekey errors come back as HTTP answers.
 */
export function createApp(client: OnceHubClient, webhookSecret: string): App {
  const app = express();
  const middleware = oncehub({ client, tenant: tenantFromParam("tenant") });

  // Before any body parser: the webhook route reads the raw body itself.
  app.post("/webhooks/oncehub", oncehubWebhook({ secret: webhookSecret }), (req, res) => {
    const { id, type } = req.oncehubEvent;
    console.log(JSON.stringify({ received: type, id }));
    res.sendStatus(200);
  });
  app.use(express.json());
  app.use(middleware);

  app.get("/health", (_req, res) => {
    res.json({ ok: true });
  });
  app.get("/tenants/:tenant/account", async (req, res) => {
    const { account } = await req.oncehub.test();
    res.json({ tenant: req.params.tenant, account });
  });
  app.get("/tenants/:tenant/bookings", async (req, res) => {
    const page = await req.oncehub.bookings.page({ limit: 5 });
    res.json({ tenant: req.params.tenant, bookings: page.data.map((booking) => booking.id) });
  });

  app.use(oncehubErrors());
  return { app, middleware };
}
