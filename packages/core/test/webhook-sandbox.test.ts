import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createWebhookSignature, startSandbox, type Sandbox } from "@oncekey/sandbox";
import fc from "fast-check";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { signWebhookPayload, verifyWebhookSignature, WebhookSignatureError } from "../src/index.js";

interface Receiver {
  readonly url: string;
  readonly server: Server;
}

/** A webhook receiver as a user would write one: raw body, verify, 200 with the event or 400 with the reason. */
function startReceiver(secret: () => string): Promise<Receiver> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const header = req.headers["oncehub-signature"];
      try {
        const event = verifyWebhookSignature(
          Buffer.concat(chunks),
          typeof header === "string" ? header : "",
          secret(),
        );
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(event));
      } catch (error) {
        res
          .writeHead(WebhookSignatureError.is(error) ? 400 : 500)
          .end(WebhookSignatureError.is(error) ? error.reason : "");
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oncehub`, server });
    });
  });
}

describe(verifyWebhookSignature.name, () => {
  let sandbox: Sandbox;
  let agent: Agent;
  let receiver: Receiver;
  let secret = "";

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: false });
    agent = new Agent({ connect: { ca: sandbox.ca } });
    receiver = await startReceiver(() => secret);
    // OnceHub only takes https subscription URLs; the sandbox delivers to the loopback receiver directly.
    const res = await request(`${sandbox.baseUrl}/webhooks`, {
      method: "POST",
      dispatcher: agent,
      headers: { "API-Key": sandbox.key, "content-type": "application/json" },
      body: JSON.stringify({
        name: "Receiver",
        url: "https://hooks.example.com/oncehub",
        events: ["booking.scheduled"],
      }),
    });
    secret = ((await res.body.json()) as { secret: string }).secret;
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.server.close(resolve));
    await agent.close();
    await sandbox.close();
  });

  describe("when the sandbox delivers a signed event", () => {
    it.each(["booking.scheduled", "booking.canceled", "conversation.started"])(
      "accepts a %s delivery",
      async (type) => {
        const delivery = await sandbox.sendWebhook(receiver.url, type, secret);
        expect(delivery.status).toBe(200);
        expect(JSON.parse(delivery.body)).toEqual(delivery.event);
        expect(delivery.event).toMatchObject({ type, object: "event", api_version: "v2" });
      },
    );
  });

  describe("when a delivery is not genuine", () => {
    it("rejects a tampered body", async () => {
      const genuine = await sandbox.sendWebhook(
        receiver.url,
        { type: "booking.scheduled", id: "EVNT-AAAAAAAAAA" },
        secret,
      );
      const tampered = await sandbox.sendWebhook(
        receiver.url,
        { type: "booking.canceled", id: "EVNT-AAAAAAAAAA", creation_time: genuine.event.creation_time },
        secret,
        { signature: genuine.signature },
      );
      expect(tampered.status).toBe(400);
      expect(tampered.body).toBe("bad_signature");
    });

    it("rejects a delivery signed with another secret", async () => {
      const delivery = await sandbox.sendWebhook(
        receiver.url,
        "booking.scheduled",
        "0123456789abcdef0123456789abcdef",
      );
      expect([delivery.status, delivery.body]).toEqual([400, "bad_signature"]);
    });

    it("rejects a stale timestamp", async () => {
      const timestamp = Math.floor(Date.now() / 1000) - 301;
      const delivery = await sandbox.sendWebhook(receiver.url, "booking.scheduled", secret, { timestamp });
      expect([delivery.status, delivery.body]).toEqual([400, "too_old"]);
    });

    it("rejects a malformed header", async () => {
      const delivery = await sandbox.sendWebhook(receiver.url, "booking.scheduled", secret, {
        signature: "sha256=00",
      });
      expect([delivery.status, delivery.body]).toEqual([400, "malformed_header"]);
    });
  });
});

describe(signWebhookPayload.name, () => {
  describe("for any body, secret and timestamp", () => {
    it("writes the same header as the sandbox's independent signer", () => {
      fc.assert(
        fc.property(
          fc.string({ unit: "binary" }),
          fc.string({ minLength: 1 }),
          fc.nat(),
          (body, secret, timestamp) => {
            expect(signWebhookPayload(body, secret, { timestamp })).toBe(
              createWebhookSignature(body, secret, timestamp),
            );
          },
        ),
      );
    });
  });
});
