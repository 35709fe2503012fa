import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createWebhookSignature } from "@oncekey/sandbox";
import { holdsStack } from "../holds-stack.js";
import { sandboxClientOptions, useSandbox } from "../use-sandbox.js";
import { CONTRACT_WEBHOOK_SECRET, type FrameworkApp, type FrameworkHarness } from "./framework-harness.js";

/** A webhook envelope as OnceHub sends one, unsigned. */
function envelope(type = "booking.scheduled"): string {
  return JSON.stringify({
    id: "EVNT-TAMPERED01",
    object: "event",
    creation_time: new Date().toISOString(),
    type,
    api_version: "v2",
    data: { id: "BKNG-1" },
  });
}

/**
 * The webhook behaviour every framework integration must show, against its contract app and the sandbox's
 * `sendWebhook`: a signed delivery reaches the handler verified; a tampered body, a wrong secret, an old or future
 * timestamp, a missing or malformed header are each a 400 with the reason before the handler runs; a secret per
 * tenant checks each tenant's deliveries, and a tenant without one is a 500 that points to the server's log, which
 * says why; a body past the app's limit is refused before it is checked.
 *
 * @param harness - The framework's {@link FrameworkHarness}.
 * @example
 * ```ts
 * // packages/fastify/test/webhooks.test.ts
 * describeWebhookContract(harness);
 * ```
 */
export function describeWebhookContract(harness: FrameworkHarness): void {
  describe(harness.subjects.webhooks, () => {
    const sandbox = useSandbox();
    let running: FrameworkApp;

    beforeAll(async () => {
      running = await harness.start({
        client: sandboxClientOptions(sandbox()),
        tenantSecrets: { "tenant-a": "secret-of-a", "tenant-b": "secret-of-b" },
      });
    });

    afterAll(async () => {
      await running.close();
    });

    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      running.call(path, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", ...headers },
      });

    describe("when the sandbox sends a signed delivery", () => {
      it("passes the verified event to the handler", async () => {
        const before = running.calls["/webhooks"] ?? 0;

        const delivery = await sandbox().sendWebhook(
          `${running.url}/webhooks`,
          "booking.scheduled",
          CONTRACT_WEBHOOK_SECRET,
        );

        expect(delivery.status).toBe(200);
        expect(JSON.parse(delivery.body)).toEqual({ received: delivery.event.id });
        expect(running.calls["/webhooks"]).toBe(before + 1);
        expect(running.events.at(-1)).toEqual(delivery.event);
      });
    });

    describe("when a delivery does not verify", () => {
      const now = () => Math.floor(Date.now() / 1000);
      const refusals: [
        name: string,
        reason: string,
        send: () => Promise<{ status: number; body: string }>,
      ][] = [
        [
          "a tampered body",
          "bad_signature",
          async () => {
            const signed = envelope("booking.scheduled");
            const answer = await post("/webhooks", signed.replace("booking.scheduled", "booking.canceled"), {
              "oncehub-signature": createWebhookSignature(signed, CONTRACT_WEBHOOK_SECRET),
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
            sandbox().sendWebhook(`${running.url}/webhooks`, "booking.scheduled", CONTRACT_WEBHOOK_SECRET, {
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
            sandbox().sendWebhook(`${running.url}/webhooks`, "booking.scheduled", CONTRACT_WEBHOOK_SECRET, {
              timestamp: now() + 3_600,
            }),
        ],
        [
          "a header that is not OnceHub's format",
          "malformed_header",
          () =>
            sandbox().sendWebhook(`${running.url}/webhooks`, "booking.scheduled", CONTRACT_WEBHOOK_SECRET, {
              signature: "sha256=0123",
            }),
        ],
      ];

      it.each(refusals)(
        "answers %s with 400 and its reason before the handler runs",
        async (_name, reason, send) => {
          const before = running.calls["/webhooks"] ?? 0;

          const answer = await send();

          expect(answer.status).toBe(400);
          expect(JSON.parse(answer.body)).toEqual({
            error: { code: "WEBHOOK_SIGNATURE", reason, message: expect.stringMatching(/\S/) },
          });
          expect(holdsStack(answer.body)).toBe(false);
          expect(running.calls["/webhooks"] ?? 0).toBe(before);
        },
      );
    });

    describe("with a secret per tenant", () => {
      it("checks each tenant's deliveries with its own secret", async () => {
        const route = "/p/tenants/:tenant/webhooks";
        const before = running.calls[route] ?? 0;

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
        expect(running.calls[route]).toBe(before + 1);
      });

      it("answers 500 when the app has no secret for the tenant, and reports why in the server's log", async () => {
        const from = running.serverFaults().length;
        const before = running.calls["/p/tenants/:tenant/webhooks"] ?? 0;

        const answer = await sandbox().sendWebhook(
          `${running.url}/p/tenants/nobody/webhooks`,
          "booking.scheduled",
          "guess",
        );

        expect(answer.status).toBe(500);
        expect(JSON.parse(answer.body)).toEqual({
          error: { code: "WEBHOOK_SIGNATURE", message: expect.stringContaining("server's log") },
        });
        expect(running.serverFaults().slice(from)).toEqual([
          {
            code: "WEBHOOK_SIGNATURE",
            message: expect.stringMatching(/^No webhook signing secret/),
          },
        ]);
        expect(running.calls["/p/tenants/:tenant/webhooks"] ?? 0).toBe(before);
      });
    });

    describe("when the body is larger than the app's body limit", () => {
      it("is refused before it is checked", async () => {
        const before = running.calls["/webhooks"] ?? 0;
        const answer = await post("/webhooks", "x".repeat(1_100_000), { "oncehub-signature": "t=1,s=00" });

        expect(answer.status).toBe(413);
        expect(running.calls["/webhooks"] ?? 0).toBe(before);
      });
    });
  });
}
