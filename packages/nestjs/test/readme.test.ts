import "reflect-metadata";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { OnceHubClient, type WebhookEvent } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";
import {
  OnceHubEvent,
  OnceHubModule,
  OnceHubWebhookGuard,
  TenantClient,
  tenantFromHeader,
} from "@oncekey/nestjs";
import { keyFingerprint } from "@oncekey/sandbox";
import { rejectionOf, useSandbox } from "@oncekey/test-support";
import { Controller, Get, HttpCode, Module, Param, Post, UseGuards } from "@nestjs/common";
import { Logger } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { request } from "undici";
import { createTenants, keyDirectory } from "./harness.js";

const sandbox = useSandbox({ rateLimit: false, bookings: 3 });
const saved = { ...process.env };
/** This file's directory: the tests run as ES modules or CommonJS, so neither __dirname nor import.meta. */
const here = dirname(expect.getState().testPath ?? "");
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
  // The example logs with Nest's default logger; the test keeps its output quiet.
  Logger.overrideLogger(false);
});

afterAll(async () => {
  Logger.overrideLogger(["log", "error", "warn"]);
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  await dir.remove();
});

describe("README", () => {
  it("shows code that this test runs", () => {
    const readme = readFileSync(join(here, "..", "README.md"), "utf8");
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const lines = new Set(
      readFileSync(expect.getState().testPath ?? "", "utf8")
        .split("\n")
        .map((line) => line.trim()),
    );

    const missing = example
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !lines.has(line));

    expect(example).not.toBe("");
    expect(missing).toEqual([]);
  });

  it("runs the example", async () => {
    const printed: unknown[][] = [];
    const log = jest
      .spyOn(console, "log")
      .mockImplementation((...args: unknown[]) => void printed.push(args));
    try {
      @Controller()
      class BookingsController {
        constructor(private readonly oncehub: OnceHubClient) {} // the app's client, injected by its class

        @Get("bookings")
        bookings(@TenantClient() tenant: OnceHubClient) {
          return tenant.bookings.page({ limit: 10 }); // the X-Tenant tenant's key
        }

        @Get("tenants/:id/account")
        account(@Param("id") id: string) {
          return this.oncehub.forTenant(id).test();
        }

        @Post("webhooks/oncehub")
        @UseGuards(OnceHubWebhookGuard)
        @HttpCode(200)
        received(@OnceHubEvent() event: WebhookEvent) {
          console.log("OnceHub event", event.type); // verified and parsed
        }
      }

      @Module({
        imports: [
          // ONCEKEY_SOURCE=file ONCEKEY_FILE_PATH=/run/secrets/oncehub/{tenant}: one key file per tenant
          OnceHubModule.forRoot({
            sources: [envSource, fileSource],
            tenant: tenantFromHeader("x-tenant"),
            webhook: { secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "" },
          }),
        ],
        controllers: [BookingsController],
      })
      class AppModule {}

      const app = await NestFactory.create(AppModule, { rawBody: true }); // the webhook guard reads the raw body
      await app.listen(process.env.PORT ?? 3000); // app.close() closes the client

      const url = (await app.getUrl()).replace("[::1]", "127.0.0.1");
      const client = app.get(OnceHubClient);
      const bookings = await request(`${url}/bookings`, { headers: { "x-tenant": "acme" } });
      const page = (await bookings.body.json()) as { data: unknown[] };
      const account = await request(`${url}/tenants/acme/account`);
      const { account: email } = (await account.body.json()) as { account: string };
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
      expect(email).toBe("acme@example.com");
      expect(sandbox().requests.last()?.fingerprint).toBe(
        keyFingerprint(readFileSync(join(dir.path, "acme"), "utf8").trim()),
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
