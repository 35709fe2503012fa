import { timingSafeEqual } from "node:crypto";
import { WebhookSignatureError } from "../errors/webhook-signature-error.js";
import { computeSignature } from "./compute-signature.js";
import { parseSignatureHeader } from "./parse-signature-header.js";
import { parseWebhookEvent } from "./parse-webhook-event.js";
import type { WebhookEvent } from "./webhook-event.js";

/**
 * Options of {@link verifyWebhookSignature}.
 *
 * @example
 * ```ts
 * const event = verifyWebhookSignature(req.body, req.get("Oncehub-Signature") ?? "", secret, { toleranceSeconds: 120 });
 * ```
 */
export interface VerifyWebhookSignatureOptions {
  /**
   * How far the signature's timestamp may lie from now, in seconds, either way: older deliveries are refused as
   * possible replays (`too_old`), later ones as a clock problem (`too_new`). OnceHub names no number; five
   * minutes is the common choice. `Infinity` turns the check off, which lets a captured delivery be replayed.
   * @defaultValue `300`
   */
  readonly toleranceSeconds?: number | undefined;
  /**
   * The clock, in milliseconds since the epoch.
   * @defaultValue `Date.now`
   */
  readonly now?: (() => number) | undefined;
}

/** A SHA-256 digest in hex; anything else cannot match and is never decoded. */
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Checks a webhook delivery's `Oncehub-Signature` header against the subscription's secret and returns the
 * parsed event; throws {@link WebhookSignatureError} otherwise, and no other error whatever the body, header or
 * secret.
 *
 * The checks, in order, each with its `reason`: the secret is a non-empty string (`missing_secret`); the body is
 * a string or Buffer (`malformed_body`); the header reads `t=<unix seconds>,s=<hex>` (`malformed_header`); some
 * `s=` equals HMAC-SHA256(secret, `t + "." + rawBody`), compared in constant time (`bad_signature`); `t` lies
 * within `toleranceSeconds` of now (`too_old`, `too_new`); the body is a JSON event envelope (`malformed_body`).
 *
 * Pass the body exactly as received, before any JSON parsing: re-serialized JSON does not verify. With Express,
 * `express.raw({ type: "application/json" })` on the webhook route gives a Buffer. Use the event's `id` to
 * ignore the retries of a delivery already handled.
 *
 * @param rawBody - The request body as received: a string, or a Buffer used byte for byte.
 * @param header - The value of the request's `Oncehub-Signature` header.
 * @param secret - The subscription's `secret`, as OnceHub returned it when the webhook was created.
 * @param options - {@link VerifyWebhookSignatureOptions}.
 * @returns The event envelope.
 * @throws {@link WebhookSignatureError} with the `reason` of the check that failed.
 * @throws RangeError when `options` is not an object, `toleranceSeconds` is negative or not a number, or `now` is
 *   not a function returning a finite number.
 * @example
 * ```ts
 * app.post("/oncehub/webhooks", express.raw({ type: "application/json" }), (req, res) => {
 *   try {
 *     const event = verifyWebhookSignature(req.body, req.get("Oncehub-Signature") ?? "", process.env.ONCEHUB_WEBHOOK_SECRET ?? "");
 *     queue.push(event);
 *     res.sendStatus(200);
 *   } catch (error) {
 *     if (!WebhookSignatureError.is(error)) throw error;
 *     res.status(400).send(error.reason);
 *   }
 * });
 * ```
 */
export function verifyWebhookSignature(
  rawBody: string | Buffer,
  header: string,
  secret: string,
  options: VerifyWebhookSignatureOptions = {},
): WebhookEvent {
  if (typeof options !== "object" || options === null) {
    throw new RangeError("verifyWebhookSignature: options must be an object or left out.");
  }
  const toleranceSeconds = options.toleranceSeconds ?? 300;
  if (typeof toleranceSeconds !== "number" || !(toleranceSeconds >= 0)) {
    throw new RangeError("verifyWebhookSignature: toleranceSeconds must be a number of seconds >= 0.");
  }
  const now = options.now ?? Date.now;
  if (typeof now !== "function") {
    throw new RangeError(
      "verifyWebhookSignature: now must be a function returning milliseconds since the epoch.",
    );
  }

  if (typeof secret !== "string" || secret === "") {
    throw new WebhookSignatureError(
      "No webhook signing secret was given: pass the `secret` OnceHub returned when the webhook subscription was " +
        "created (keep it with your other secrets, e.g. ONCEHUB_WEBHOOK_SECRET).",
      { reason: "missing_secret" },
    );
  }
  if (typeof rawBody !== "string" && !(rawBody instanceof Uint8Array)) {
    throw new WebhookSignatureError(
      `The webhook body must be the raw request body, a string or Buffer, but it is ${describeValue(rawBody)}. ` +
        'Read it unparsed, e.g. express.raw({ type: "application/json" }) on the webhook route.',
      { reason: "malformed_body" },
    );
  }

  const signed = parseSignatureHeader(header);
  const expected = computeSignature(signed.timestamp, rawBody, secret);
  let matched = false;
  for (const candidate of signed.signatures) {
    // Every candidate is compared, so the time taken does not tell which one matched.
    if (SHA256_HEX.test(candidate) && timingSafeEqual(Buffer.from(candidate, "hex"), expected))
      matched = true;
  }
  if (!matched) {
    throw new WebhookSignatureError(
      "The Oncehub-Signature does not match the body: check that the secret is this webhook subscription's and " +
        "that the body is passed exactly as received (raw bytes, before any JSON parsing). Answer 400.",
      { reason: "bad_signature" },
    );
  }

  const nowMs = now();
  if (typeof nowMs !== "number" || !Number.isFinite(nowMs)) {
    throw new RangeError("verifyWebhookSignature: now() must return milliseconds since the epoch.");
  }
  const age = Math.floor(nowMs / 1000) - signed.seconds;
  if (age > toleranceSeconds) {
    throw new WebhookSignatureError(
      `The delivery was signed ${age} s ago, more than the ${toleranceSeconds} s tolerance: it may be a replay. ` +
        "Answer 400; if genuine deliveries fail this way, check this server's clock.",
      { reason: "too_old" },
    );
  }
  if (-age > toleranceSeconds) {
    throw new WebhookSignatureError(
      `The delivery is signed ${-age} s in the future, more than the ${toleranceSeconds} s tolerance: check ` +
        "this server's clock (NTP). Answer 400.",
      { reason: "too_new" },
    );
  }

  return parseWebhookEvent(rawBody);
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return "an object (already parsed?)";
  return `of type ${typeof value}`;
}
