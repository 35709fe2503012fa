import { createHmac } from "node:crypto";

/**
 * The `Oncehub-Signature` header value for a webhook body: `t=<unix seconds>,s=<hex HMAC-SHA256>`, where the HMAC
 * is keyed with the subscription's secret and covers `t + "." + rawBody` exactly as sent.
 *
 * Written from OnceHub's documentation independently of `@oncekey/core`'s verifier, so each checks the other.
 *
 * @param rawBody - the body bytes as they go on the wire
 * @param secret - the subscription's `secret`
 * @param timestamp - unix seconds @defaultValue now
 * @example
 * ```ts
 * const header = createWebhookSignature(body, webhook.secret); // "t=1611144604,s=22b3f46e…"
 * ```
 */
export function createWebhookSignature(
  rawBody: string | Buffer,
  secret: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): string {
  const t = String(Math.trunc(timestamp));
  const s = createHmac("sha256", Buffer.from(secret, "utf8")).update(`${t}.`).update(rawBody).digest("hex");
  return `t=${t},s=${s}`;
}
