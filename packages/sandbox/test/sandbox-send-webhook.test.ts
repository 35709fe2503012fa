import { afterEach, describe, expect, it } from "@jest/globals";
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Server } from "node:net";
import { createWebhookSignature, sendWebhook } from "../src/index.js";
import { createTlsMaterial } from "../src/tls/create-tls-material.js";

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

describe(sendWebhook.name, () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** A receiver that records what it got and answers `status`. */
  async function receiver(
    status = 200,
    make: (handler: (req: IncomingMessage, res: ServerResponse) => void) => Server = createServer,
  ): Promise<{ port: number; deliveries: Delivery[] }> {
    const deliveries: Delivery[] = [];
    const server = make((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(status).end("thanks");
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { port: (server.address() as AddressInfo).port, deliveries };
  }

  describe("to a loopback http receiver", () => {
    it("posts OnceHub's event envelope, signed over t.body with the secret", async () => {
      const { port, deliveries } = await receiver();
      const delivery = await sendWebhook(`http://127.0.0.1:${port}/hooks`, "booking.scheduled", "whsec");
      expect(delivery).toMatchObject({ status: 200, body: "thanks" });

      const [got] = deliveries;
      expect(got?.body).toBe(delivery.rawBody);
      expect(JSON.parse(got?.body ?? "")).toEqual({
        id: expect.stringMatching(/^EVNT-[0-9A-Z]{10}$/),
        object: "event",
        creation_time: expect.any(String),
        type: "booking.scheduled",
        api_version: "v2",
        data: expect.objectContaining({ object: "booking", id: expect.stringMatching(/^BKNG-/) }),
      });
      expect(got?.headers["content-type"]).toBe("application/json");
      const match = /^t=(\d+),s=([0-9a-f]{64})$/.exec(String(got?.headers["oncehub-signature"]));
      const expected = createHmac("sha256", "whsec").update(`${match?.[1]}.${got?.body}`).digest("hex");
      expect(match?.[2]).toBe(expected);
    });

    it("uses the event, timestamp and signature it is given", async () => {
      const { port, deliveries } = await receiver();
      const event = {
        type: "booking.canceled",
        id: "EVNT-FIXED",
        creation_time: "2026-01-01T00:00:00Z",
        data: { id: "x" },
      };
      const delivery = await sendWebhook(`http://localhost:${port}/`, event, "s", {
        timestamp: 1_611_144_604,
      });
      expect(delivery.event).toEqual({ ...event, object: "event", api_version: "v2" });
      expect(delivery.signature).toBe(createWebhookSignature(delivery.rawBody, "s", 1_611_144_604));
      expect(delivery.signature).toMatch(/^t=1611144604,s=/);

      await sendWebhook(`http://localhost:${port}/`, event, "s", { signature: "t=1,s=00" });
      expect(deliveries[1]?.headers["oncehub-signature"]).toBe("t=1,s=00");
    });

    it("resolves with a failing status rather than throwing", async () => {
      const { port } = await receiver(500);
      await expect(sendWebhook(`http://127.0.0.1:${port}/`, "booking.completed", "s")).resolves.toMatchObject(
        { status: 500 },
      );
    });
  });

  describe("to an https receiver", () => {
    it("trusts the CA it is given", async () => {
      const tls = await createTlsMaterial("receiver");
      const { port, deliveries } = await receiver(200, (handler) =>
        createHttpsServer({ cert: tls.cert, key: tls.key }, handler),
      );
      const delivery = await sendWebhook(`https://127.0.0.1:${port}/`, "booking.no_show", "s", {
        ca: tls.ca,
      });
      expect(delivery.status).toBe(200);
      expect(deliveries).toHaveLength(1);
    });

    it("fails on a certificate it does not trust", async () => {
      const tls = await createTlsMaterial("receiver");
      const { port } = await receiver(200, (handler) =>
        createHttpsServer({ cert: tls.cert, key: tls.key }, handler),
      );
      await expect(sendWebhook(`https://127.0.0.1:${port}/`, "booking.no_show", "s")).rejects.toThrow();
    });
  });

  describe("to a plain http receiver that is not on loopback", () => {
    it("refuses before connecting", async () => {
      await expect(sendWebhook("http://example.com/hooks", "booking.scheduled", "s")).rejects.toThrow(
        TypeError,
      );
    });
  });
});
