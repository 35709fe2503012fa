import {
  ApiError,
  AuthenticationError,
  InvalidRequestError,
  type OnceHubApiError,
  RateLimitError,
} from "../errors/once-hub-api-error.js";
import type { ApiKey } from "../key/api-key.js";
import { describeTenant } from "../tenant/describe-tenant.js";
import { type CallKeys, redactKey } from "./redact-key.js";

/** OnceHub's error body, as far as it could be read. */
export interface OnceHubErrorBody {
  readonly type: string | undefined;
  readonly message: string | undefined;
  readonly param: string | undefined;
}

/** What went wrong, for {@link apiErrorFromResponse}. */
export interface FailedResponse {
  readonly status: number;
  readonly body: Buffer | undefined;
  /** The `Request-Id` header as `safeRequestId` made it safe to quote. */
  readonly requestId: string | undefined;
  /** e.g. `GET /v2/bookings/BKNG-1` (no query: it may hold personal data). */
  readonly what: string;
  readonly tenant: string | undefined;
  /** The key of the failed request, named by fingerprint and source. */
  readonly key: ApiKey | undefined;
  /** Every key the call sent, redacted from what the server said; `key` when left out. */
  readonly keys?: CallKeys;
  readonly retryAfterMs?: number | undefined;
  /** Appended to the message: what the client already tried. */
  readonly note?: string;
}

/**
 * Control characters (CR, LF, ESC …), line and paragraph separators and bidirectional overrides: in server text
 * they could forge log lines or hide text in a terminal.
 */
const UNSAFE_TEXT = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]+/gu;

/**
 * Server text as messages may carry it: each run of control characters (and line separators, bidirectional
 * overrides) replaced by one space, every trace of the call's keys replaced ({@link redactKey}), cut at 1,000
 * characters.
 *
 * @param text - What the server said.
 * @param keys - The keys the call sent.
 */
export function safeServerText(text: string, keys: CallKeys): string {
  return redactKey(text.replace(UNSAFE_TEXT, " "), keys);
}

/**
 * Reads `{ type, message, param }` from an error body, each made safe by {@link safeServerText}; anything
 * unreadable is left undefined.
 */
export function readErrorBody(body: Buffer | undefined, keys?: CallKeys): OnceHubErrorBody {
  if (body === undefined || body.length === 0)
    return { type: undefined, message: undefined, param: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return { type: undefined, message: undefined, param: undefined };
  }
  const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  // A server that echoes the key, or part of it, must not make an error message carry it.
  const text = (value: unknown): string | undefined =>
    typeof value !== "string" || value.trim() === "" ? undefined : safeServerText(value, keys).trim();
  return { type: text(record.type), message: text(record.message), param: text(record.param) };
}

/**
 * Builds the typed error for an OnceHub error answer: {@link AuthenticationError} for 401 and 403 (the key's
 * fingerprint and source named, and what to check), {@link RateLimitError} for 429, {@link ApiError} for 5xx and
 * {@link InvalidRequestError} for any other status; `type`, `message`, `param` come from OnceHub's body and
 * `requestId` from its `Request-Id` header. The key itself is never in it.
 *
 * @param response - The failed answer.
 */
export function apiErrorFromResponse(response: FailedResponse): OnceHubApiError {
  const { status, requestId, what, tenant, key } = response;
  const body = readErrorBody(response.body, response.keys ?? key);
  // OnceHub's messages end with a period of their own; this message adds its own.
  const said = body.message === undefined ? "" : `: ${body.message.replace(/(?<!\.)\.$/, "")}`;
  const typed = body.type === undefined ? "" : ` ${body.type}`;
  const quoted = requestId === undefined ? "" : ` Request-Id ${requestId}.`;
  const forTenant = tenant === undefined ? "" : ` for tenant ${describeTenant(tenant)}`;
  const base = {
    status,
    ...(body.type === undefined ? {} : { type: body.type }),
    ...(body.param === undefined ? {} : { param: body.param }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(tenant === undefined ? {} : { tenant }),
    ...(key === undefined ? {} : { source: key.source }),
  };
  const note = response.note === undefined ? "" : ` ${response.note}`;

  if (status === 401 || status === 403) {
    const keyName = key === undefined ? "the API key" : `the API key ${key.fingerprint} from ${key.source}`;
    const advice =
      status === 403
        ? " The account's plan has no API access, so this is not retried: use a key of an account on a plan with " +
          "API access, or upgrade the plan."
        : ` Check that ${key?.source ?? "the key source"} holds a current OnceHub API key of the right account: ` +
          "a key stops working when it is deleted or regenerated in OnceHub (Account Integrations > APIs & " +
          "Webhooks).";
    return new AuthenticationError(
      `OnceHub rejected ${keyName}${forTenant} on ${what} (${status}${typed}${said}).${note}${advice}${quoted}`,
      { ...base, ...(key === undefined ? {} : { fingerprint: key.fingerprint }) },
    );
  }
  const summary = `OnceHub answered ${what}${forTenant} with ${status}${typed}${said}`;
  const param = body.param === undefined ? "" : ` (param: ${body.param})`;
  if (status === 429) {
    const wait = response.retryAfterMs;
    return new RateLimitError(
      `${summary}.${note} OnceHub allows 5 requests per second per account; keep the client's pacing on.${quoted}`,
      { ...base, ...(wait === undefined ? {} : { retryAfterMs: wait }) },
    );
  }
  if (status >= 500) return new ApiError(`${summary}.${note}${quoted}`, base);
  return new InvalidRequestError(`${summary}${param}.${note}${quoted}`, base);
}
