import { describe, expect, it } from "@jest/globals";
import {
  CONTRACT_WEBHOOK_SECRET,
  describeWebhookContract,
  sandboxClientOptions,
  useSandbox,
} from "@oncekey/test-support";
import { harness, listen } from "./harness.js";
import { LineLogger, moduleOptions, OnceHubModule, testApp } from "./test-app.js";

describeWebhookContract(harness);

describe("OnceHubWebhookGuard and @OnceHubEvent()", () => {
  const sandbox = useSandbox();

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
          CONTRACT_WEBHOOK_SECRET,
        );
        const unsigned = await app.call("/webhooks", {
          method: "POST",
          body: JSON.stringify({
            id: "EVNT-UNSIGNED1",
            object: "event",
            type: "booking.scheduled",
            data: {},
          }),
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

  describe("when a signed request's body is not JSON", () => {
    it("refuses it with 400 malformed_body, the caller's mistake rather than the app's setup", async () => {
      const quiet = new LineLogger();
      const built = await testApp(OnceHubModule.forRoot(moduleOptions(sandboxClientOptions(sandbox()))), {
        logger: quiet,
      });
      const app = await listen(built.app);
      try {
        const answer = await app.call("/webhooks", {
          method: "POST",
          body: "not an event",
          headers: { "content-type": "text/plain", "oncehub-signature": "t=1,s=00" },
        });

        expect([answer.status, answer.json]).toEqual([
          400,
          expect.objectContaining({ error: expect.objectContaining({ reason: "malformed_body" }) }),
        ]);
        expect(quiet.lines.filter((line) => line.startsWith("error"))).toEqual([]);
        expect(built.record.calls).toEqual({});
      } finally {
        await app.close();
      }
    });
  });
});
