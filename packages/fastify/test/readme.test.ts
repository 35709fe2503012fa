import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it, jest } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { oncehubPlugin, oncehubWebhook, tenantFromHeader } from "@oncekey/fastify";
import { fileSource } from "@oncekey/file";
import { keyFingerprint } from "@oncekey/sandbox";
import { readmeExample, rejectionOf, useReadmeEnvironment, useSandbox } from "@oncekey/test-support";
import Fastify from "fastify";
import { request } from "undici";

const sandbox = useSandbox({ rateLimit: false, bookings: 3 });
const keys = useReadmeEnvironment(sandbox);

describe("README", () => {
  it("shows code that this test runs", () => {
    const { example, missing } = readmeExample(join(__dirname, "..", "README.md"), __filename);

    expect(example).not.toBe("");
    expect(missing).toEqual([]);
  });

  it("runs the example", async () => {
    const printed: unknown[][] = [];
    const log = jest
      .spyOn(console, "log")
      .mockImplementation((...args: unknown[]) => void printed.push(args));
    try {
      // ONCEKEY_SOURCE=file ONCEKEY_FILE_PATH=/run/secrets/oncehub/{tenant}: one key file per tenant
      const client = OnceHubClient.fromEnvironment({ sources: [envSource, fileSource] });
      const app = Fastify();

      await app.register(oncehubPlugin, { client, tenant: tenantFromHeader("x-tenant") }); // before your routes
      await app.register(oncehubWebhook, {
        path: "/webhooks/oncehub",
        secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "",
        handler: async (event) => {
          console.log("OnceHub event", event.type); // verified and parsed
        },
      });
      app.get("/bookings", (request) => request.oncehub.bookings.page({ limit: 10 })); // the X-Tenant tenant's key

      await app.listen({ port: Number(process.env.PORT ?? 3000) }); // app.close() closes the client

      const url = `http://localhost:${(app.server.address() as AddressInfo).port}`;
      const bookings = await request(`${url}/bookings`, { headers: { "x-tenant": "acme" } });
      const page = (await bookings.body.json()) as { data: unknown[] };
      const unknown = await request(`${url}/bookings`, { headers: { "x-tenant": "nobody" } });
      await unknown.body.dump();
      const delivery = await sandbox().sendWebhook(
        `${url}/webhooks/oncehub`,
        "booking.scheduled",
        "whsec-readme",
      );
      await app.close();

      expect(bookings.statusCode).toBe(200);
      expect(page.data).toHaveLength(3);
      expect(sandbox().requests.last()?.fingerprint).toBe(
        keyFingerprint(readFileSync(join(keys().path, "acme"), "utf8").trim()),
      );
      expect(unknown.statusCode).toBe(404);
      expect(delivery.status).toBe(204);
      expect(printed).toEqual([["OnceHub event", "booking.scheduled"]]);
      expect(await rejectionOf(client.test())).toMatchObject({ code: "NETWORK" });
    } finally {
      log.mockRestore();
    }
  });
});
