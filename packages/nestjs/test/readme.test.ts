import "reflect-metadata";
import { readFileSync } from "node:fs";
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
import { readmeExample, rejectionOf, useReadmeEnvironment, useSandbox } from "@oncekey/test-support";
import { Controller, Get, HttpCode, Module, Param, Post, UseGuards } from "@nestjs/common";
import { Logger } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { request } from "undici";

const sandbox = useSandbox({ rateLimit: false, bookings: 3 });
const keys = useReadmeEnvironment(sandbox);
/** This file's directory: the tests run as ES modules or CommonJS, so neither __dirname nor import.meta. */
const here = dirname(expect.getState().testPath ?? "");

beforeAll(() => {
  // The example logs with Nest's default logger; the test keeps its output quiet.
  Logger.overrideLogger(false);
});

afterAll(() => {
  Logger.overrideLogger(["log", "error", "warn"]);
});

describe("README", () => {
  it("shows code that this test runs", () => {
    const { example, missing } = readmeExample(
      join(here, "..", "README.md"),
      expect.getState().testPath ?? "",
    );

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
