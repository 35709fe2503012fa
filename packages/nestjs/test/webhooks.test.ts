import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createWebhookSignature } from "@oncekey/sandbox";
import { sandboxClientOptions, useSandbox } from "@oncekey/test-support";
import { holdsStack, listen, type RunningApp } from "./harness.js";
import {
  LineLogger,
  moduleOptions,
  OnceHubModule,
  testApp,
  WEBHOOK_SECRET,
  type AppRecord,
} from "./test-app.js";

const sandbox = useSandbox();
const logger = new LineLogger();
let running: RunningApp;
let record: AppRecord;

beforeAll(async () => {
  const oncehub = OnceHubModule.forRoot(
    moduleOptions(sandboxClientOptions(sandbox()), { "tenant-a": "secret-of-a", "tenant-b": "secret-of-b" }),
  );
  const built = await testApp(oncehub, { logger });
  record = built.record;
  running = await listen(built.app);
});

afterAll(async () => {
  await running.close();
});

const envelope = (type = "booking.scheduled"): string =>
  JSON.stringify({
    id: "EVNT-TAMPERED01",
    object: "event",
    creation_time: new Date().toISOString(),
    type,
    api_version: "v2",
    data: { id: "BKNG-1" },
  });

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  running.call(path, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

describe("OnceHubWebhookGuard and @OnceHubEvent()", () => {
  describe("when the sandbox sends a signed delivery", () => {
    it("passes the verified event to the handler", async () => {
      const before = record.calls["/webhooks"] ?? 0;

      const delivery = await sandbox().sendWebhook(
        `${running.url}/webhooks`,
        "booking.scheduled",
        WEBHOOK_SECRET,
      );

      expect(delivery.status).toBe(200);
      expect(JSON.parse(delivery.body)).toEqual({ received: delivery.event.id });
      expect(record.calls["/webhooks"]).toBe(before + 1);
      expect(record.events.at(-1)).toEqual(delivery.event);
    });
  });

  describe("when a delivery does not verify", () => {
    const now = () => Math.floor(Date.now() / 1000);
    const refusals: [name: string, reason: string, send: () => Promise<{ status: number; body: string }>][] =
      [
        [
          "a tampered body",
          "bad_signature",
          async () => {
            const signed = envelope("booking.scheduled");
            const answer = await post("/webhooks", signed.replace("booking.scheduled", "booking.canceled"), {
              "oncehub-signature": createWebhookSignature(signed, WEBHOOK_SECRET),
            });
            return { status: answer.status, body: answer.text };
          },
        ],
        [
          "a wrong secret",
          "bad_signature",
          () => sandbox().sendWebhook(`${running.url}/webhooks`, "booking.scheduled", "not-the-secret"),
        ],
        [
          "an old timestamp",
          "too_old",
          () =>
            sandbox().sendWebhook(`${running.url}/webhooks`, "booking.scheduled", WEBHOOK_SECRET, {
              timestamp: now() - 3_600,
            }),
        ],
        [
          "a missing header",
          "malformed_header",
          async () => {
            const answer = await post("/webhooks", envelope());
            return { status: answer.status, body: answer.text };
          },
        ],
        [
          "a timestamp in the future",
          "too_new",
          () =>
            sandbox().sendWebhook(`${running.url}/webhooks`, "booking.scheduled", WEBHOOK_SECRET, {
              timestamp: now() + 3_600,
            }),
        ],
        [
          "a header that is not OnceHub's format",
          "malformed_header",
          () =>
            sandbox().sendWebhook(`${running.url}/webhooks`, "booking.scheduled", WEBHOOK_SECRET, {
              signature: "sha256=0123",
            }),
        ],
      ];

    it.each(refusals)(
      "answers %s with 400 and its reason before the handler runs",
      async (_name, reason, send) => {
        const before = record.calls["/webhooks"] ?? 0;

        const answer = await send();

        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.body)).toEqual({
          error: { code: "WEBHOOK_SIGNATURE", reason, message: expect.stringMatching(/\S/) },
        });
        expect(holdsStack(answer.body)).toBe(false);
        expect(record.calls["/webhooks"] ?? 0).toBe(before);
      },
    );
  });

  describe("with a secret per tenant", () => {
    it("checks each tenant's deliveries with its own secret", async () => {
      const route = "/p/tenants/:tenant/webhooks";
      const before = record.calls[route] ?? 0;

      const own = await sandbox().sendWebhook(
        `${running.url}/p/tenants/tenant-a/webhooks`,
        "booking.scheduled",
        "secret-of-a",
      );
      const other = await sandbox().sendWebhook(
        `${running.url}/p/tenants/tenant-a/webhooks`,
        "booking.scheduled",
        "secret-of-b",
      );

      expect([own.status, other.status]).toEqual([200, 400]);
      expect(JSON.parse(other.body)).toMatchObject({ error: { reason: "bad_signature" } });
      expect(record.calls[route]).toBe(before + 1);
    });

    it("answers 500 when the app has no secret for the tenant, and logs why", async () => {
      logger.lines.length = 0;

      const answer = await sandbox().sendWebhook(
        `${running.url}/p/tenants/nobody/webhooks`,
        "booking.scheduled",
        "guess",
      );

      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: "WEBHOOK_SIGNATURE", message: expect.stringContaining("server's log") },
      });
      expect(logger.lines).toEqual([
        expect.stringMatching(/^error WEBHOOK_SIGNATURE: No webhook signing secret.* OnceHub$/),
      ]);
    });
  });

  describe("when the app was created without rawBody: true", () => {
    it("refuses with a ConfigError that says so, before the handler runs", async () => {
      const quiet = new LineLogger();
      const built = await testApp(OnceHubModule.forRoot(moduleOptions(sandboxClientOptions(sandbox()))), {
        logger: quiet,
        rawBody: false,
      });
      const app = await listen(built.app);
      try {
        const signed = await sandbox().sendWebhook(
          `${app.url}/webhooks`,
          "booking.scheduled",
          WEBHOOK_SECRET,
        );
        const unsigned = await app.call("/webhooks", {
          method: "POST",
          body: envelope(),
          headers: { "content-type": "application/json" },
        });

        expect(signed.status).toBe(500);
        expect(JSON.parse(signed.body)).toMatchObject({ error: { code: "CONFIG" } });
        expect(quiet.lines.filter((line) => line.startsWith("error"))).toEqual([
          expect.stringMatching(/^error CONFIG: .*NestFactory\.create\(AppModule, \{ rawBody: true \}\)/),
        ]);
        expect([unsigned.status, unsigned.json]).toEqual([
          400,
          expect.objectContaining({ error: expect.objectContaining({ reason: "malformed_header" }) }),
        ]);
        expect(built.record.calls).toEqual({});
      } finally {
        await app.close();
      }
    });
  });

  describe("when the body is larger than the app's body limit", () => {
    it("is refused before it is checked", async () => {
      const before = record.calls["/webhooks"] ?? 0;
      const answer = await post("/webhooks", "x".repeat(1_100_000), { "oncehub-signature": "t=1,s=00" });

      expect(answer.status).toBe(413);
      expect(record.calls["/webhooks"] ?? 0).toBe(before);
    });
  });
});
