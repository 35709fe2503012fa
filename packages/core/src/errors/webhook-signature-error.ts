import { OnceKeyError, type OnceKeyErrorOptions } from "./once-key-error.js";

/**
 * Why a webhook delivery was refused: which check of {@link verifyWebhookSignature} it failed.
 *
 * @example
 * ```ts
 * const reason: WebhookSignatureFailure | undefined = WebhookSignatureError.is(error) ? error.reason : undefined;
 * if (reason === "too_old") metrics.increment("webhook.replayed");
 * ```
 */
export type WebhookSignatureFailure =
  "malformed_header" | "bad_signature" | "too_old" | "too_new" | "malformed_body" | "missing_secret";

/**
 * Options of {@link WebhookSignatureError}.
 *
 * @example
 * ```ts
 * throw new WebhookSignatureError("The Oncehub-Signature header is missing.", { reason: "malformed_header" });
 * ```
 */
export interface WebhookSignatureErrorOptions extends OnceKeyErrorOptions {
  /** Which check the delivery failed, kept as the error's `reason`. */
  readonly reason: WebhookSignatureFailure;
}

/**
 * A webhook delivery failed its `Oncehub-Signature` check; `reason` says which check. Answer such a delivery with
 * 400 and do not act on it. Code `WEBHOOK_SIGNATURE`.
 *
 * @example
 * ```ts
 * if (WebhookSignatureError.is(error)) res.status(400).send(error.reason);
 * ```
 */
export class WebhookSignatureError extends OnceKeyError {
  static override readonly code: string = "WEBHOOK_SIGNATURE";
  static override readonly brand: string = "WebhookSignatureError";

  /** Which check failed. */
  readonly reason: WebhookSignatureFailure;

  constructor(message: string, options: WebhookSignatureErrorOptions) {
    super(message, options);
    this.reason = options.reason;
  }
}
