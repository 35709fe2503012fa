import {
  AuthenticationError,
  InvalidRequestError,
  OnceHubApiError,
  RateLimitError,
} from "../errors/once-hub-api-error.js";
import { InvalidTenantError } from "../errors/invalid-tenant-error.js";
import { KeyNotFoundError } from "../errors/key-not-found-error.js";
import { NetworkError } from "../errors/network-error.js";
import { OnceKeyError } from "../errors/once-key-error.js";
import { TimeoutError } from "../errors/timeout-error.js";
import { describeTenant } from "../tenant/describe-tenant.js";
import { WebhookSignatureError, type WebhookSignatureFailure } from "../errors/webhook-signature-error.js";

/**
 * Whose to fix an answered error is: the caller's (4xx); OnceHub's or the network's on the way there (502, 503,
 * 504); or this server's, its setup or its key (500, and 502 for a key OnceHub refused).
 */
export type HttpErrorFault = "caller" | "upstream" | "server";

/**
 * The JSON body of an error answer: `{ "error": { "code", "message" } }`, with `reason` for a refused webhook
 * delivery. Never a stack, never a key.
 *
 * @example
 * ```ts
 * const body: HttpErrorBody = { error: { code: "INVALID_TENANT", message: "Invalid tenant id \"../x\": …" } };
 * ```
 */
export interface HttpErrorBody {
  /** What went wrong, for the caller. */
  readonly error: {
    /** The error's stable oncekey `code`, e.g. `INVALID_TENANT`, `RATE_LIMIT`. */
    readonly code: string;
    /** The library's message, or for a server fault a fixed sentence that points to the server's log. */
    readonly message: string;
    /** Which check refused a webhook delivery, e.g. `bad_signature`; only on `WEBHOOK_SIGNATURE`. */
    readonly reason?: WebhookSignatureFailure;
  };
}

/**
 * What {@link httpErrorAnswer} says to send: the status, the headers (`Retry-After` on 503) and the JSON body, and
 * whose fault it was, so an integration can log server faults where operators look.
 *
 * @example
 * ```ts
 * const answer: HttpErrorAnswer | undefined = httpErrorAnswer(error);
 * if (answer) res.status(answer.status).set(answer.headers).json(answer.body);
 * ```
 */
export interface HttpErrorAnswer {
  /** The HTTP status to answer with. */
  readonly status: number;
  /** Headers to set, lower case: `retry-after` on a rate limit, else none. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body to send. */
  readonly body: HttpErrorBody;
  /** Whose to fix the error is: the server's own faults are the ones to log where operators look. */
  readonly fault: HttpErrorFault;
}

/**
 * What the request that failed was for, as the integration knows it.
 *
 * @example
 * ```ts
 * httpErrorAnswer(error, { tenant: "acme" }); // a KeyNotFoundError is then an unknown tenant: 404
 * ```
 */
export interface HttpErrorContext {
  /**
   * The tenant the request named, when it named one. A `KeyNotFoundError` for a request with a tenant means the
   * tenant has no key here (404, the caller's); without one, the server's own key is missing (500).
   * @defaultValue none
   */
  readonly tenant?: string | undefined;
}

/** The statuses of OnceHub's `invalid_request_error` that keep their meaning for the caller. */
const FORWARDED_STATUSES = new Set([400, 404, 409, 422]);

/** When OnceHub's 429 came without `Retry-After`: a second holds five requests of OnceHub's per-account budget. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * Maps an oncekey error to the HTTP answer a server should give its caller, the same way in every framework
 * integration; anything that is not an oncekey error gives `undefined`, left to the app's own handler.
 *
 * | error | status | message in the body |
 * | --- | --- | --- |
 * | `InvalidTenantError` | 400 | the library's |
 * | `WebhookSignatureError` | 400, with `reason` (`bad_signature`, `too_old`, `malformed_header` …) | the library's |
 * | `KeyNotFoundError` for a request with a tenant (an unknown tenant) | 404 | fixed, naming the tenant |
 * | `InvalidRequestError` (OnceHub refused the request's input) | OnceHub's 400, 404, 409 or 422; 402 as 422; else 400 | the library's |
 * | `RateLimitError` | 503 with `Retry-After` (OnceHub's, else 1 s) | the library's |
 * | `TimeoutError` | 504 | the library's |
 * | `NetworkError`, `ApiError` (OnceHub's 5xx), any other OnceHub answer | 502 | the library's |
 * | `AuthenticationError` (OnceHub refused the server's key for the account or tenant) | 502 | fixed |
 * | `ConfigError`, `KeySourceError`, `KeyFormatError`, `InsecureTransportError`, `KeyNotFoundError` without a tenant, `WebhookSignatureError` `missing_secret`, any other oncekey error | 500 | fixed |
 *
 * The caller's mistakes are 4xx and say what to fix. OnceHub being slow, down or limiting is 502/503/504: a
 * rate limit is OnceHub's per-account budget, not the caller's, so it is 503 (retry later) rather than 429. A
 * refused key and a broken setup are this server's to fix: their messages name key sources, files, variables
 * and fingerprints, which are for operators, so the body holds a fixed sentence instead (`fault` is then
 * `"server"`, and the integrations log the library's message). For the same reason an unknown tenant's 404 says
 * only that the tenant has no key, not where the source looked (an unknown tenant is the caller's, so it is not
 * logged: a caller could fill the log). No body holds a stack, a cause or a key: oncekey's messages never hold a
 * key.
 *
 * @param error - What was thrown.
 * @param context - {@link HttpErrorContext}: the request's tenant, if any.
 * @returns The answer, or `undefined` for anything that is not an oncekey error.
 * @example
 * ```ts
 * app.use((error, req, res, next) => {
 *   const answer = httpErrorAnswer(error, { tenant: req.get("x-tenant") });
 *   if (answer === undefined) return next(error);
 *   res.status(answer.status).set(answer.headers).json(answer.body);
 * });
 * ```
 */
export function httpErrorAnswer(error: unknown, context: HttpErrorContext = {}): HttpErrorAnswer | undefined {
  if (!OnceKeyError.is(error)) return undefined;
  // Read before the checks below narrow `error`: some subclasses add no member, so TypeScript narrows to `never`.
  const code = error.code;
  const own = (
    status: number,
    fault: HttpErrorFault,
    headers: Record<string, string> = {},
  ): HttpErrorAnswer => ({
    status,
    headers,
    body: { error: { code: error.code, message: error.message } },
    fault,
  });

  if (InvalidTenantError.is(error)) return own(400, "caller");
  if (WebhookSignatureError.is(error)) {
    if (error.reason === "missing_secret") return serverFault(error.code, 500);
    return {
      status: 400,
      headers: {},
      body: { error: { code: error.code, message: error.message, reason: error.reason } },
      fault: "caller",
    };
  }
  if (KeyNotFoundError.is(error)) {
    return context.tenant === undefined
      ? serverFault(error.code, 500)
      : unknownTenant(error.code, context.tenant);
  }
  if (InvalidRequestError.is(error)) {
    return own(
      FORWARDED_STATUSES.has(error.status) ? error.status : error.status === 402 ? 422 : 400,
      "caller",
    );
  }
  if (RateLimitError.is(error)) {
    const seconds =
      error.retryAfterMs === undefined
        ? DEFAULT_RETRY_AFTER_SECONDS
        : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return own(503, "upstream", { "retry-after": String(seconds) });
  }
  if (TimeoutError.is(error)) return own(504, "upstream");
  if (AuthenticationError.is(error)) return serverFault(error.code, 502);
  if (NetworkError.is(error) || OnceHubApiError.is(error)) return own(502, "upstream");
  return serverFault(code, 500);
}

/**
 * The answer for a tenant that has no key here. The key source's own message names where it looked (a file path,
 * a variable, a vault and secret), which is for operators: the caller learns only that the tenant is unknown.
 */
function unknownTenant(code: string, tenant: string): HttpErrorAnswer {
  const message = `No OnceHub API key is configured for the tenant ${describeTenant(tenant)}.`;
  return { status: 404, headers: {}, body: { error: { code, message } }, fault: "caller" };
}

/**
 * An answer that does not repeat the library's message: for a refused key (502) or a broken setup (500), the
 * message is for the server's operators, who read it in the log.
 */
function serverFault(code: string, status: 500 | 502): HttpErrorAnswer {
  const what =
    status === 502 ? "OnceHub refused this server's API key" : "This server's OnceHub setup failed";
  const message = `${what} (${code}). The details are in the server's log.`;
  return { status, headers: {}, body: { error: { code, message } }, fault: "server" };
}
