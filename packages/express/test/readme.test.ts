import { once } from "node:events";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it, jest } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import { oncehub, oncehubErrors, oncehubWebhook, tenantFromHeader } from "@oncekey/express";
import { keyFingerprint } from "@oncekey/sandbox";
import { readmeExample, rejectionOf, useReadmeEnvironment, useSandbox } from "@oncekey/test-support";
import express from "express";
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
      const middleware = oncehub({ client, tenant: tenantFromHeader("x-tenant") });
      const app = express();

      // The webhook route reads the raw body itself: mount it before any body parser.
      app.post(
        "/webhooks/oncehub",
        oncehubWebhook({ secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "" }),
        (req, res) => {
          console.log("OnceHub event", req.oncehubEvent.type); // verified and parsed
          res.sendStatus(200);
        },
      );
      app.use(express.json());
      app.use(middleware);
      app.get("/bookings", async (req, res) => {
        res.json(await req.oncehub.bookings.page({ limit: 10 })); // the X-Tenant tenant's key
      });
      app.use(oncehubErrors()); // oncekey errors as HTTP answers; anything else goes on to your own handlers

      const server = app.listen(Number(process.env.PORT ?? 3000));
      server.on("close", () => void middleware.close()); // closes the client when the server stops

      await once(server, "listening");
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const bookings = await request(`${url}/bookings`, { headers: { "x-tenant": "acme" } });
      const page = (await bookings.body.json()) as { data: unknown[] };
      const unknown = await request(`${url}/bookings`, { headers: { "x-tenant": "nobody" } });
      await unknown.body.dump();
      const delivery = await sandbox().sendWebhook(
        `${url}/webhooks/oncehub`,
        "booking.scheduled",
        "whsec-readme",
      );
      server.close();
      await once(server, "close");

      expect(bookings.statusCode).toBe(200);
      expect(page.data).toHaveLength(3);
      expect(sandbox().requests.last()?.fingerprint).toBe(
        keyFingerprint(readFileSync(join(keys().path, "acme"), "utf8").trim()),
      );
      expect(unknown.statusCode).toBe(404);
      expect(delivery.status).toBe(200);
      expect(printed).toEqual([["OnceHub event", "booking.scheduled"]]);
      expect(await rejectionOf(client.test())).toMatchObject({ code: "NETWORK" });
    } finally {
      log.mockRestore();
    }
  });
});
