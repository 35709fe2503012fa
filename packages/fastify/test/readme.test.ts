import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { oncehubPlugin, oncehubWebhook, tenantFromHeader } from "@oncekey/fastify";
import { fileSource } from "@oncekey/file";
import { keyFingerprint } from "@oncekey/sandbox";
import { rejectionOf, useSandbox } from "@oncekey/test-support";
import Fastify from "fastify";
import { request } from "undici";
import { createTenants, keyDirectory } from "./harness.js";

const sandbox = useSandbox({ rateLimit: false, bookings: 3 });
const saved = { ...process.env };
let dir: Awaited<ReturnType<typeof keyDirectory>>;

beforeAll(async () => {
  dir = await keyDirectory();
  await createTenants(sandbox(), dir.path, ["acme"]);
  await writeFile(join(dir.path, "ca.pem"), sandbox().ca);
  Object.assign(process.env, {
    ONCEKEY_SOURCE: "file",
    ONCEKEY_FILE_PATH: join(dir.path, "{tenant}"),
    ONCEHUB_BASE_URL: sandbox().baseUrl,
    ONCEKEY_CA_FILE: join(dir.path, "ca.pem"),
    ONCEHUB_WEBHOOK_SECRET: "whsec-readme",
    PORT: "0",
  });
});

afterAll(async () => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  await dir.remove();
});

describe("README", () => {
  it("shows code that this test runs", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const here = new Set(
      readFileSync(__filename, "utf8")
        .split("\n")
        .map((line) => line.trim()),
    );

    const missing = example
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !here.has(line));

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
        keyFingerprint(readFileSync(join(dir.path, "acme"), "utf8").trim()),
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
