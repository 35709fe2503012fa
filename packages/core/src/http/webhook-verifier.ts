import { ConfigError } from "../errors/config-error.js";
import { WebhookSignatureError } from "../errors/webhook-signature-error.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import { numberOption } from "../options/number-option.js";
import { verifyWebhookSignature } from "../webhook/verify-webhook-signature.js";
import type { WebhookEvent } from "../webhook/webhook-event.js";
import type { RequestHeaders } from "./tenant-request.js";

/**
 * A webhook subscription's signing secret: the string OnceHub returned when the subscription was created, or a
 * function of the request that returns it (sync or async), for one subscription per tenant.
 *
 * @example
 * ```ts
 * const single: WebhookSecret<Request> = process.env.ONCEHUB_WEBHOOK_SECRET ?? "";
 * const perTenant: WebhookSecret<Request> = async (req) => secrets.webhookSecretOf(req.params.tenant);
 * ```
 */
export type WebhookSecret<R> = string | ((request: R) => string | Promise<string>);

/**
 * Options of {@link webhookVerifier}: the part of every integration's webhook options that checks deliveries.
 *
 * @example
 * ```ts
 * const options: WebhookVerifierOptions<Request> = { secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "", toleranceSeconds: 300 };
 * ```
 */
export interface WebhookVerifierOptions<R> {
  /** {@link WebhookSecret}. */
  readonly secret: WebhookSecret<R>;
  /**
   * How far a delivery's signature time may lie from now, either way, in seconds: older ones are refused as
   * possible replays (`too_old`).
   * @defaultValue `300`
   */
  readonly toleranceSeconds?: number;
}

/**
 * Checks one delivery: resolves with the verified event, or rejects with a `WebhookSignatureError` whose `reason`
 * names the check that failed.
 */
export type WebhookVerifier<R> = (request: R, rawBody: Buffer | string) => Promise<WebhookEvent>;

/**
 * The least of an HTTP request the webhook check reads: its headers, for `Oncehub-Signature`.
 *
 * @example
 * ```ts
 * const request: WebhookRequest = { headers: { "oncehub-signature": "t=1733300000,s=5f2b…" } };
 * ```
 */
export interface WebhookRequest {
  /** The request's headers, names in lower case. */
  readonly headers: RequestHeaders;
}

const HEADER = "oncehub-signature";

/**
 * Checks the options of a webhook route at once (a `ConfigError` naming the option) and returns the function that
 * verifies each delivery's `Oncehub-Signature` over its raw body with `verifyWebhookSignature`.
 *
 * A delivery without the header, or with it twice, is refused (`malformed_header`) before the secret is looked
 * up. A secret function's result that is not a non-empty string is `missing_secret`, the server's fault (500);
 * what the function throws is passed on as is.
 *
 * @param options - {@link WebhookVerifierOptions}; other names are the caller's to check.
 * @param where - What the options belong to, for messages: `oncehubWebhook`.
 * @returns The verifier.
 * @throws `ConfigError` for a secret that is neither a non-empty string nor a function, or a bad tolerance.
 * @example
 * ```ts
 * const verify = webhookVerifier({ secret, toleranceSeconds }, "oncehubWebhook");
 * const event = await verify(req, rawBody); // WebhookSignatureError (400) for a bad delivery
 * ```
 */
export function webhookVerifier<R extends WebhookRequest>(
  options: WebhookVerifierOptions<R>,
  where: string,
): WebhookVerifier<R> {
  const { secret } = options;
  if (!(typeof secret === "function" || (typeof secret === "string" && secret !== ""))) {
    throw new ConfigError(
      `${where}: secret must be the webhook subscription's signing secret (a non-empty string) or a function of ` +
        `the request that returns it, got ${describeOptionValue(secret)}.`,
      { variable: "secret" },
    );
  }
  const toleranceSeconds = numberOption(
    options.toleranceSeconds,
    "toleranceSeconds",
    300,
    { unit: "seconds" },
    where,
  );
  return async (request, rawBody) => {
    const header = request.headers[HEADER];
    if (typeof header !== "string" || header === "") {
      throw new WebhookSignatureError(
        header === undefined || header === ""
          ? "The delivery has no Oncehub-Signature header, so it cannot be from OnceHub. Answer 400."
          : `The delivery has ${header.length} Oncehub-Signature headers where OnceHub sends one. Answer 400.`,
        { reason: "malformed_header" },
      );
    }
    const key = typeof secret === "function" ? await secret(request) : secret;
    return verifyWebhookSignature(rawBody, header, key, { toleranceSeconds });
  };
}
