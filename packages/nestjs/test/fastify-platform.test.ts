import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { staticKey, type OnceHubClient, type WebhookEvent } from "@oncekey/core";
import { sandboxTransportOptions, useSandbox } from "@oncekey/test-support";
import { Controller, Get, HttpCode, Module, Post, UseGuards } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { FastifyAdapter, type NestFastifyApplication } from "@nestjs/platform-fastify";
import {
  OnceHubEvent,
  OnceHubModule,
  OnceHubWebhookGuard,
  TenantClient,
  tenantFromHeader,
  type OnceHubModuleKeysOptions,
} from "../src/index.js";
import { listen } from "./harness.js";

const sandbox = useSandbox();
const SECRET = "whsec-fastify-platform";

describe("OnceHubModule on Nest's Fastify platform", () => {
  it("reads the tenant and the raw body from Fastify's request, and answers oncekey errors", async () => {
    const events: WebhookEvent[] = [];
    @Controller()
    class Routes {
      @Get("account")
      account(@TenantClient() client: OnceHubClient) {
        return client.test();
      }

      @Post("webhooks")
      @UseGuards(OnceHubWebhookGuard)
      @HttpCode(200)
      received(@OnceHubEvent() event: WebhookEvent) {
        events.push(event);
        return { received: event.id };
      }
    }
    const acme = sandbox().accounts.create("acme@example.com");
    @Module({
      imports: [
        OnceHubModule.forRoot({
          // One key, whatever the tenant: this test is about the platform, not the tenant's key.
          keys: { name: "acme", getKey: () => staticKey(acme.key).getKey() },
          ...(sandboxTransportOptions(sandbox()) as unknown as Omit<OnceHubModuleKeysOptions, "keys">),
          tenant: tenantFromHeader("x-tenant"),
          webhook: { secret: SECRET },
        }),
      ],
      controllers: [Routes],
    })
    class AppModule {}
    const app = await listen(
      await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
        rawBody: true,
        logger: false,
        abortOnError: false,
      }),
    );
    try {
      const account = await app.call("/account", { headers: { "x-tenant": "acme" } });
      const invalid = await app.call("/account", { headers: { "x-tenant": "../x" } });
      const good = await sandbox().sendWebhook(`${app.url}/webhooks`, "booking.scheduled", SECRET);
      const bad = await sandbox().sendWebhook(`${app.url}/webhooks`, "booking.scheduled", "not-the-secret");

      expect([account.status, account.json]).toEqual([
        200,
        expect.objectContaining({ account: "acme@example.com" }),
      ]);
      expect([invalid.status, invalid.json]).toEqual([
        400,
        { error: expect.objectContaining({ code: "INVALID_TENANT" }) },
      ]);
      expect([good.status, bad.status]).toEqual([200, 400]);
      expect(JSON.parse(bad.body)).toMatchObject({
        error: { code: "WEBHOOK_SIGNATURE", reason: "bad_signature" },
      });
      expect(events.map((event) => event.id)).toEqual([good.event.id]);
    } finally {
      await app.close();
    }
  });
});
