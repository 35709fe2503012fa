import type { OnceHubClient } from "@oncekey/core";
import { oncehubPlugin, oncehubWebhook, tenantFromParam } from "@oncekey/fastify";
import Fastify, { type FastifyInstance } from "fastify";

/**
 * A multi-tenant service: `/tenants/:tenant/…` calls OnceHub with that tenant's key, `/webhooks/oncehub` receives
 * OnceHub's deliveries, and oncekey errors come back as HTTP answers. Closing the app closes the client.
 */
export async function createApp(client: OnceHubClient, webhookSecret: string): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(oncehubPlugin, { client, tenant: tenantFromParam("tenant") });
  await app.register(oncehubWebhook, {
    path: "/webhooks/oncehub",
    secret: webhookSecret,
    handler: async ({ id, type }) => {
      console.log(JSON.stringify({ received: type, id }));
    },
  });

  app.get("/health", async () => ({ ok: true }));
  app.get<{ Params: { tenant: string } }>("/tenants/:tenant/account", async (request) => {
    const { account } = await request.oncehub.test();
    return { tenant: request.params.tenant, account };
  });
  app.get<{ Params: { tenant: string } }>("/tenants/:tenant/bookings", async (request) => {
    const page = await request.oncehub.bookings.page({ limit: 5 });
    return { tenant: request.params.tenant, bookings: page.data.map((booking) => booking.id) };
  });
  return app;
}
