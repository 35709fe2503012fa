import { WebhookSignatureError } from "../errors/webhook-signature-error.js";
import { checkOptionNames } from "../options/check-option-names.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import { numberOption } from "../options/number-option.js";
import { computeSignature } from "./compute-signature.js";
import { MAX_TIMESTAMP_SECONDS } from "./parse-signature-header.js";

/**
 * Options of {@link signWebhookPayload}.
 *
 * @example
 * ```ts
 * const header = signWebhookPayload(body, secret, { timestamp: Math.floor(Date.now() / 1000) - 3_600 }); // an hour old
 * ```
 */
export interface SignWebhookPayloadOptions {
  /**
   * The signature's `t=`, in unix seconds; set it in the past to test a receiver's replay protection.
   * @defaultValue now, `Math.floor(Date.now() / 1000)`
   */
  readonly timestamp?: number | undefined;
}

/**
 * The `Oncehub-Signature` header value OnceHub would send with `rawBody`: `t=<unix seconds>,s=<hex>`, the hex
 * HMAC-SHA256 keyed with `secret` over `t + "." + rawBody`. Made for tests of a webhook receiver, so they can
 * post signed deliveries without a OnceHub account; {@link verifyWebhookSignature} accepts what it returns.
 *
 * @param rawBody - The exact body that will be sent.
 * @param secret - The subscription's signing secret.
 * @param options - {@link SignWebhookPayloadOptions}.
 * @returns The header value.
 * @throws {@link WebhookSignatureError} with reason `missing_secret` when `secret` is empty.
 * @throws TypeError when `rawBody` is not a string or Buffer; {@link ConfigError} when `timestamp` is not a
 *   whole number of seconds from 0 to 999999999999.
 * @example
 * ```ts
 * const body = JSON.stringify({ id: "EVNT-1", object: "event", creation_time: new Date().toISOString(), type: "booking.scheduled", api_version: "v2", data: {} });
 * await fetch(receiverUrl, { method: "POST", body, headers: { "Oncehub-Signature": signWebhookPayload(body, secret) } });
 * ```
 */
export function signWebhookPayload(
  rawBody: string | Buffer,
  secret: string,
  options: SignWebhookPayloadOptions = {},
): string {
  if (typeof secret !== "string" || secret === "") {
    throw new WebhookSignatureError(
      "signWebhookPayload needs the subscription's secret, a non-empty string.",
      {
        reason: "missing_secret",
      },
    );
  }
  if (typeof rawBody !== "string" && !Buffer.isBuffer(rawBody)) {
    throw new TypeError(
      `signWebhookPayload: rawBody must be the exact body to send, a string or a Buffer; got ${describeOptionValue(rawBody)}.`,
    );
  }
  checkOptionNames(options, ["timestamp"], "signWebhookPayload");
  const timestamp = numberOption(
    options.timestamp,
    "timestamp",
    Math.floor(Date.now() / 1000),
    { max: MAX_TIMESTAMP_SECONDS, integer: true, unit: "whole unix seconds, not milliseconds" },
    "signWebhookPayload",
  );
  const t = String(timestamp);
  return `t=${t},s=${computeSignature(t, rawBody, secret).toString("hex")}`;
}
