import { createHmac } from "node:crypto";

/**
 * HMAC-SHA256 keyed with the subscription's secret (UTF-8) over `timestamp + "." + rawBody`, the body exactly as
 * it travelled: a string is hashed as its UTF-8 bytes, a Buffer as is.
 *
 * `timestamp` is the `t=` value as written in the header, not a number turned back into text, so a sender that
 * writes leading zeros still verifies.
 */
export function computeSignature(timestamp: string, rawBody: string | Uint8Array, secret: string): Buffer {
  return createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(`${timestamp}.`, "utf8")
    .update(rawBody)
    .digest();
}
