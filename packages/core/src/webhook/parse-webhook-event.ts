import { WebhookSignatureError } from "../errors/webhook-signature-error.js";
import type { WebhookEvent } from "./webhook-event.js";

/** The envelope fields OnceHub's schema requires, each a string. */
const REQUIRED_STRINGS = ["id", "creation_time", "type", "api_version"] as const;

/**
 * Parses a verified body into the event envelope. Anything that is not a JSON object with `object: "event"` and
 * string `id`, `creation_time`, `type` and `api_version` is a {@link WebhookSignatureError} with reason
 * `malformed_body`: the sender holds the secret, yet what it sent is not an OnceHub event.
 */
export function parseWebhookEvent(rawBody: string | Uint8Array): WebhookEvent {
  const text =
    typeof rawBody === "string"
      ? rawBody
      : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw malformed("it is not valid JSON", error);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw malformed("it is not a JSON object");
  }
  const envelope = parsed as Record<string, unknown>;
  if (envelope["object"] !== "event") throw malformed('its `object` is not "event"');
  for (const field of REQUIRED_STRINGS) {
    if (typeof envelope[field] !== "string") throw malformed(`its \`${field}\` is missing or not a string`);
  }
  return envelope as unknown as WebhookEvent;
}

function malformed(problem: string, cause?: unknown): WebhookSignatureError {
  return new WebhookSignatureError(
    `The webhook body is signed correctly but is not an OnceHub event envelope: ${problem}. ` +
      "Pass the raw body exactly as received, before any JSON parsing.",
    cause === undefined ? { reason: "malformed_body" } : { reason: "malformed_body", cause },
  );
}
