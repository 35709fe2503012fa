import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature, type WebhookEvent } from "@oncekey/core";

/**
 * Listens on a loopback port for one webhook delivery, has `send` deliver it there, and returns the event once
 * its signature is verified with `secret`. The listener is closed however it ends: a delivery that fails to
 * verify, or a `send` that rejects without ever reaching it.
 *
 * @param secret - The subscription's signing secret.
 * @param send - Delivers one event to the URL it is given, e.g. the sandbox's `sendWebhook`.
 * @returns The verified event.
 * @example
 * ```ts
 * const event = await receiveWebhook(secret, (url) => sandbox.sendWebhook(url, "booking.scheduled", secret));
 * ```
 */
export async function receiveWebhook(
  secret: string,
  send: (url: string) => Promise<unknown>,
): Promise<WebhookEvent> {
  let deliver!: (event: WebhookEvent) => void;
  let refuse!: (error: Error) => void;
  const received = new Promise<WebhookEvent>((resolve, reject) => {
    deliver = resolve;
    refuse = reject;
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        deliver(
          verifyWebhookSignature(Buffer.concat(chunks), String(req.headers["oncehub-signature"]), secret),
        );
      } catch (error) {
        refuse(error as Error);
      } finally {
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await Promise.race([received, send(`http://127.0.0.1:${port}/hook`).then(() => received)]);
    return await received;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
