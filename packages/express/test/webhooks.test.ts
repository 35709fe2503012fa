import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import {
  CONTRACT_WEBHOOK_SECRET,
  describeWebhookContract,
  sandboxClientOptions,
  useSandbox,
} from "@oncekey/test-support";
import { harness, listen, type RunningApp } from "./harness.js";
import { faultLog, testApp, type Deliveries } from "./test-app.js";

describeWebhookContract(harness);

describe("oncehubWebhook()", () => {
  const sandbox = useSandbox();
  const faults = faultLog();
  let client: OnceHubClient;
  let running: RunningApp;
  let deliveries: Deliveries;

  beforeAll(async () => {
    client = new OnceHubClient(sandboxClientOptions(sandbox()));
    const built = testApp(client, { errors: { onServerFault: faults.onServerFault } });
    deliveries = built.deliveries;
    running = await listen(built.app);
  });

  afterAll(async () => {
    await running.close();
    await client.close();
  });

  describe("when the app has no secret for the tenant", () => {
    it("gives onServerFault the verifier's error, its reason included", async () => {
      faults.errors.length = 0;

      const answer = await sandbox().sendWebhook(
        `${running.url}/p/tenants/nobody/webhooks`,
        "booking.scheduled",
        "guess",
      );

      expect(answer.status).toBe(500);
      expect(faults.errors).toEqual([expect.objectContaining({ reason: "missing_secret" })]);
    });
  });

  describe("when express.json() read the body before the webhook route", () => {
    it("refuses with a ConfigError that names the fixes, before the handler runs", async () => {
      faults.errors.length = 0;

      const answer = await sandbox().sendWebhook(
        `${running.url}/late/webhooks`,
        "booking.scheduled",
        CONTRACT_WEBHOOK_SECRET,
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
        CONTRACT_WEBHOOK_SECRET,
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
        CONTRACT_WEBHOOK_SECRET,
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
});
