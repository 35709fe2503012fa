import { OnceKeyError, type OnceKeyErrorOptions } from "./once-key-error.js";

/**
 * Options of {@link OnceHubApiError} and its subclasses: what OnceHub answered.
 *
 * @example
 * ```ts
 * const error = new InvalidRequestError("OnceHub has no booking BKNG-1.", { status: 404, param: "id", requestId });
 * ```
 */
export interface OnceHubApiErrorOptions extends OnceKeyErrorOptions {
  /** HTTP status. */
  readonly status: number;
  /** OnceHub's error `type`, e.g. `invalid_request_error`. */
  readonly type?: string;
  /** The parameter the error is about, when OnceHub names one. */
  readonly param?: string;
  /** OnceHub's `Request-Id` response header: quote it to OnceHub support. */
  readonly requestId?: string;
  /** The tenant the request was made for. */
  readonly tenant?: string;
}

/**
 * OnceHub answered with an error. Subclasses by OnceHub's error `type`: {@link AuthenticationError},
 * {@link InvalidRequestError}, {@link RateLimitError}, {@link ApiError}.
 *
 * @example
 * ```ts
 * if (OnceHubApiError.is(error)) console.error(error.status, error.type, error.param, error.requestId);
 * ```
 */
export class OnceHubApiError extends OnceKeyError {
  static override readonly code: string = "ONCEHUB_API";
  static override readonly brand: string = "OnceHubApiError";

  /** The HTTP status OnceHub answered with, e.g. 401, 404, 429 or 503. */
  readonly status: number;
  /** OnceHub's error `type`, e.g. `invalid_request_error`; undefined when the body named none. */
  declare readonly type: string | undefined;
  /** The parameter the error is about, e.g. `id` or `name`; undefined when OnceHub names none. */
  declare readonly param: string | undefined;
  /** OnceHub's `Request-Id` response header, to quote to OnceHub support; undefined when none came back. */
  declare readonly requestId: string | undefined;
  /** The tenant the request was made for (`client.forTenant`); undefined when the client has none. */
  declare readonly tenant: string | undefined;

  constructor(message: string, options: OnceHubApiErrorOptions) {
    super(message, options);
    this.status = options.status;
    if (options.type !== undefined) this.type = options.type;
    if (options.param !== undefined) this.param = options.param;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.tenant !== undefined) this.tenant = options.tenant;
  }
}

/**
 * Options of {@link AuthenticationError}.
 *
 * @example
 * ```ts
 * const error = new AuthenticationError(`OnceHub rejected the key ${key.fingerprint}.`, {
 *   status: 401,
 *   fingerprint: key.fingerprint,
 *   source: key.source,
 * });
 * ```
 */
export interface AuthenticationErrorOptions extends OnceHubApiErrorOptions {
  /** The fingerprint of the key OnceHub refused. */
  readonly fingerprint?: string;
}

/**
 * OnceHub refused the key (401: unknown, deleted or regenerated key) or the account (403: the plan has no API
 * access). The message names the key's fingerprint and source. Code `AUTHENTICATION`.
 *
 * @example
 * ```ts
 * if (AuthenticationError.is(error)) console.error(`Key ${error.fingerprint} from ${error.source} was refused`);
 * ```
 */
export class AuthenticationError extends OnceHubApiError {
  static override readonly code: string = "AUTHENTICATION";
  static override readonly brand: string = "AuthenticationError";

  /** The fingerprint of the refused key, when a key was sent. */
  declare readonly fingerprint: string | undefined;

  constructor(message: string, options: AuthenticationErrorOptions) {
    super(message, options);
    if (options.fingerprint !== undefined) this.fingerprint = options.fingerprint;
  }
}

/**
 * OnceHub refused the request itself (400, 402, 404, 409, 422): `param` names the field when OnceHub does. Code
 * `INVALID_REQUEST`.
 *
 * @example
 * ```ts
 * if (InvalidRequestError.is(error) && error.status === 404) return undefined;
 * ```
 */
export class InvalidRequestError extends OnceHubApiError {
  static override readonly code: string = "INVALID_REQUEST";
  static override readonly brand: string = "InvalidRequestError";
}

/**
 * Options of {@link RateLimitError}.
 *
 * @example
 * ```ts
 * const error = new RateLimitError("OnceHub answered 429 after 3 attempts.", { status: 429, retryAfterMs: 1_000 });
 * ```
 */
export interface RateLimitErrorOptions extends OnceHubApiErrorOptions {
  /** The wait OnceHub asked for, from `Retry-After`, when it sent one. */
  readonly retryAfterMs?: number;
}

/**
 * OnceHub's rate limit (5 requests/second per account) was still exceeded after the retries allowed. Code
 * `RATE_LIMIT`.
 *
 * @example
 * ```ts
 * if (RateLimitError.is(error)) await setTimeout(error.retryAfterMs ?? 1000);
 * ```
 */
export class RateLimitError extends OnceHubApiError {
  static override readonly code: string = "RATE_LIMIT";
  static override readonly brand: string = "RateLimitError";
  static override readonly transient: boolean = true;

  /** The wait OnceHub asked for in `Retry-After`, in ms; undefined when it sent none. */
  declare readonly retryAfterMs: number | undefined;

  constructor(message: string, options: RateLimitErrorOptions) {
    super(message, options);
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * OnceHub failed (5xx, `api_error`) after the retries allowed. Code `API_ERROR`.
 *
 * @example
 * ```ts
 * if (ApiError.is(error)) console.error(`OnceHub failed; quote ${error.requestId} to support`);
 * ```
 */
export class ApiError extends OnceHubApiError {
  static override readonly code: string = "API_ERROR";
  static override readonly brand: string = "ApiError";
  static override readonly transient: boolean = true;
}
