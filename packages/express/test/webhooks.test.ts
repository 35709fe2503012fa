import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { createWebhookSignature } from "@oncekey/sandbox";
import { sandboxClientOptions, useSandbox } from "@oncekey/test-support";
import { holdsStack, listen, type RunningApp } from "./harness.js";
import { faultLog, testApp, WEBHOOK_SECRET, type Deliveries } from "./test-app.js";

const sandbox = useSandbox();
const faults = faultLog();
let client: OnceHubClient;
let running: RunningApp;
let deliveries: Deliveries;

beforeAll(async () => {
  client = new OnceHubClient(sandboxClientOptions(sandbox()));
  const built = testApp(client, {
    errors: { onServerFault: faults.onServerFault },
    tenantSecrets: { "tenant-a": "secret-of-a", "tenant-b": "secret-of-b" },
  });
  deliveries = built.deliveries;
  running = await listen(built.app);
});

afterAll(async () => {
  await running.close();
  await client.close();
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

describe("oncehubWebhook()", () => {
  describe("when the sandbox sends a signed delivery", () => {
    it("passes the verified event to the handler", async () => {
      const before = deliveries.calls["/webhooks"] ?? 0;

      const delivery = await sandbox().sendWebhook(
        `${running.url}/webhooks`,
        "booking.scheduled",
        WEBHOOK_SECRET,
      );

      expect(delivery.status).toBe(200);
      expect(JSON.parse(delivery.body)).toEqual({ received: delivery.event.id });
      expect(deliveries.calls["/webhooks"]).toBe(before + 1);
      expect(deliveries.events.at(-1)).toEqual(delivery.event);
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
        const before = deliveries.calls["/webhooks"] ?? 0;

        const answer = await send();

        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.body)).toEqual({
          error: { code: "WEBHOOK_SIGNATURE", reason, message: expect.stringMatching(/\S/) },
        });
        expect(holdsStack(answer.body)).toBe(false);
        expect(deliveries.calls["/webhooks"] ?? 0).toBe(before);
      },
    );
  });

  describe("with a secret per tenant", () => {
    it("checks each tenant's deliveries with its own secret", async () => {
      const route = "/p/tenants/:tenant/webhooks";
      const before = deliveries.calls[route] ?? 0;

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
      expect(deliveries.calls[route]).toBe(before + 1);
    });

    it("answers 500 when the app has no secret for the tenant, and reports it to the server's log", async () => {
      faults.errors.length = 0;

      const answer = await sandbox().sendWebhook(
        `${running.url}/p/tenants/nobody/webhooks`,
        "booking.scheduled",
        "guess",
      );

      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toEqual({
        error: { code: "WEBHOOK_SIGNATURE", message: expect.stringContaining("server's log") },
      });
      expect(faults.errors).toEqual([expect.objectContaining({ reason: "missing_secret" })]);
    });
  });

  describe("when express.json() read the body before the webhook route", () => {
    it("refuses with a ConfigError that names the fixes, before the handler runs", async () => {
      faults.errors.length = 0;

      const answer = await sandbox().sendWebhook(
        `${running.url}/late/webhooks`,
        "booking.scheduled",
        WEBHOOK_SECRET,
      );

      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "CONFIG" } });
      expect(faults.errors).toHaveLength(1);
      expect(faults.errors[0]?.message).toMatch(
        /Mount the webhook route before the parser, or keep the raw body as req\.rawBody/,
      );
      expect(deliveries.calls["/late/webhooks"]).toBeUndefined();
    });
  });

  describe("when the body arrived whole before the webhook check, unread", () => {
    it("reads it", async () => {
      const delivery = await sandbox().sendWebhook(
        `${running.url}/received/webhooks`,
        "booking.scheduled",
        WEBHOOK_SECRET,
      );

      expect(delivery.status).toBe(200);
      expect(deliveries.calls["/received/webhooks"]).toBe(1);
    });
  });

  describe("when the app's parser kept the raw body as req.rawBody", () => {
    it("verifies the kept bytes", async () => {
      const good = await sandbox().sendWebhook(
        `${running.url}/kept/webhooks`,
        "booking.canceled",
        WEBHOOK_SECRET,
      );
      const bad = await sandbox().sendWebhook(
        `${running.url}/kept/webhooks`,
        "booking.canceled",
        "not-the-secret",
      );

      expect([good.status, bad.status]).toEqual([200, 400]);
      expect(deliveries.calls["/kept/webhooks"]).toBe(1);
    });
  });

  describe("when the body is larger than 1 MB", () => {
    it("is refused before it is checked", async () => {
      const before = deliveries.calls["/webhooks"] ?? 0;
      const answer = await post("/webhooks", "x".repeat(1_100_000), { "oncehub-signature": "t=1,s=00" });

      expect(answer.status).toBe(413);
      expect(deliveries.calls["/webhooks"] ?? 0).toBe(before);
    });
  });
});
