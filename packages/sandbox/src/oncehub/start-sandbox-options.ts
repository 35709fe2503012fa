import { optionsObject } from "../options/check-option-names.js";
import { windowLimitOption } from "../options/window-limit-option.js";
import type { SlidingWindowLimit } from "../state/sliding-window-limit.js";
import { checkTlsMaterial } from "../tls/check-tls-material.js";
import type { TlsMaterial } from "../tls/tls-material.js";
import { checkApiKey } from "./state/key-material.js";
import { TokenBucket } from "./state/token-bucket.js";
import { shownValue } from "../options/shown-value.js";

/** The sandbox's per-account rate limit, when more than a number is needed. */
export interface RateLimitOptions {
  /** Sustained requests per second per account. @defaultValue 5 (OnceHub's documented limit) */
  readonly requestsPerSecond?: number;
  /** Requests allowed at once from a full bucket. @defaultValue `requestsPerSecond` */
  readonly burst?: number;
  /** Network jitter forgiven: a request this much early still passes. @defaultValue 100 */
  readonly toleranceMs?: number;
}

/**
 * The sandbox's per-IP limit: at most `requests` requests from one remote address in any `windowMs` (a sliding
 * window). Either field left out takes OnceHub's documented limit.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ ipRateLimit: { requests: 60, windowMs: 10_000 } }); // scaled down
 * ```
 */
export interface IpRateLimitOptions {
  /** Requests one address may make in any window. @defaultValue 200 (OnceHub's documented limit) */
  readonly requests?: number;
  /** The window's length in milliseconds. @defaultValue 300000 (5 minutes, OnceHub's documented window) */
  readonly windowMs?: number;
}

/** OnceHub's documented per-IP limit: 200 requests per 5 minutes. */
const ONCEHUB_PER_IP = { requests: 200, windowMs: 300_000 };

/**
 * Options of {@link startSandbox}.
 *
 * @example
 * ```ts
 * const sandbox = await startSandbox({ rateLimit: false, bookings: 3 });
 * ```
 */
export interface StartSandboxOptions {
  /** HTTPS port on 127.0.0.1. @defaultValue 0 (any free port) */
  readonly port?: number;
  /** Plain-HTTP port on 127.0.0.1. @defaultValue 0 (any free port) */
  readonly plainPort?: number;
  /** Requests per second per account (a token bucket), an object for more control, or `false` for none. @defaultValue 5 */
  readonly rateLimit?: number | false | RateLimitOptions;
  /**
   * OnceHub's per-IP limit (200 requests per 5 minutes from one source address), imitated when given: at most
   * `requests` requests from one remote address in any `windowMs` milliseconds, a sliding window, the strictest
   * reading of OnceHub's words. Every request on an API path counts when it reaches authentication (also one
   * that then fails it, or that the per-account limit refuses); one the per-IP limit refuses does not. Past it:
   * 429 with the per-account limit's body and `Retry-After` as `retryAfter` says. Off by default, because every
   * caller here is 127.0.0.1 and a benchmark would hit it at once.
   * @defaultValue false
   * @example
   * ```ts
   * const sandbox = await startSandbox({ ipRateLimit: { requests: 200, windowMs: 300_000 } });
   * // later: sandbox.rateLimited.ip is how many requests it refused
   * ```
   */
  readonly ipRateLimit?: IpRateLimitOptions | false;
  /** Bookings seeded into every account. @defaultValue 37 */
  readonly bookings?: number;
  /**
   * A `Retry-After` header on rate-limit 429s, which OnceHub does not document: `true` for the seconds until the
   * next request would pass, a number for a fixed value, `false` for none. @defaultValue false
   */
  readonly retryAfter?: number | boolean;
  /** The default account's email. @defaultValue "admin@example.com" */
  readonly email?: string;
  /** Most entries the request log keeps; older ones are dropped. @defaultValue 100000 */
  readonly requestLogLimit?: number;
  /**
   * The certificates to serve HTTPS with, instead of a new throwaway CA: a CA certificate, a server certificate
   * it signed for `127.0.0.1`, and that certificate's private key, all PEM (what {@link createTlsMaterial}
   * returns). Keeping them across restarts keeps every client that trusts the CA working. Checked before
   * listening: a certificate that is not one, a key that does not match, a certificate the CA did not sign, one
   * not valid for `127.0.0.1` or not valid now is a `TypeError`.
   * @defaultValue a new CA and server certificate, valid for a week
   * @example
   * ```ts
   * const tls = await createTlsMaterial("my sandbox");
   * const sandbox = await startSandbox({ tls }); // sandbox.ca === tls.ca, after a restart too
   * ```
   */
  readonly tls?: TlsMaterial;
  /**
   * The default account's first key, instead of a new random one, so a client configured with it keeps working
   * when the sandbox restarts. 1 to 512 visible ASCII characters (else a `TypeError` that never quotes it).
   * @defaultValue 32 random bytes as 43 base64url characters
   * @example
   * ```ts
   * const sandbox = await startSandbox({ key: process.env.ONCEHUB_API_KEY });
   * ```
   */
  readonly key?: string;
}

const OPTION_NAMES = [
  "port",
  "plainPort",
  "rateLimit",
  "ipRateLimit",
  "bookings",
  "retryAfter",
  "email",
  "requestLogLimit",
  "tls",
  "key",
] as const;

/** {@link StartSandboxOptions} checked, every default filled in. */
export interface ResolvedSandboxOptions {
  readonly port: number;
  readonly plainPort: number;
  readonly bookings: number;
  readonly requestLogLimit: number;
  readonly retryAfter: number | boolean;
  readonly email: string;
  /** A new bucket for each account, or `undefined` when there is no per-account limit. */
  readonly createBucket: () => TokenBucket | undefined;
  /** The per-IP limit, or `undefined` for none. */
  readonly ipLimit: SlidingWindowLimit | undefined;
  /** `undefined`: make a new throwaway CA. */
  readonly tls: TlsMaterial | undefined;
  /** `undefined`: make a new random key. */
  readonly key: string | undefined;
}

function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `startSandbox: ${name} must be an integer from ${min} to ${max}, got ${shownValue(value)}.`,
    );
  }
  return value;
}

function checkEmail(value: unknown): string {
  if (typeof value !== "string" || !/^[^\s@]+@[^\s@]+$/.test(value))
    throw new TypeError(`startSandbox: email must look like an email address, got ${shownValue(value)}.`);
  return value;
}

function bucketFactory(rateLimit: StartSandboxOptions["rateLimit"]): () => TokenBucket | undefined {
  if (rateLimit === false) return () => undefined;
  if (
    rateLimit !== undefined &&
    typeof rateLimit !== "number" &&
    (typeof rateLimit !== "object" || rateLimit === null)
  )
    throw new TypeError("startSandbox: rateLimit is requests per second, an options object, or false.");
  const options =
    typeof rateLimit === "number"
      ? { requestsPerSecond: rateLimit }
      : optionsObject("startSandbox: rateLimit", rateLimit, ["requestsPerSecond", "burst", "toleranceMs"]);
  const rate = options.requestsPerSecond ?? 5;
  const burst = options.burst ?? rate;
  const tolerance = options.toleranceMs ?? 100;
  if (!(rate > 0 && Number.isFinite(rate)))
    throw new RangeError(`startSandbox: rateLimit must be > 0 or false, got ${shownValue(rate)}.`);
  if (!(burst >= 1 && Number.isFinite(burst)))
    throw new RangeError(`startSandbox: rateLimit burst must be >= 1, got ${shownValue(burst)}.`);
  if (!(tolerance >= 0 && Number.isFinite(tolerance)))
    throw new RangeError("startSandbox: rateLimit toleranceMs must be >= 0.");
  return () => new TokenBucket(rate, burst, tolerance, Date.now());
}

/**
 * Checks every option of {@link startSandbox} before anything listens, and fills in the defaults, in one place.
 *
 * @param given - the options as passed
 * @throws TypeError or RangeError naming the option and what is wrong
 * @example
 * ```ts
 * const { port, createBucket, tls } = resolveSandboxOptions(options);
 * ```
 */
export function resolveSandboxOptions(given: StartSandboxOptions | undefined): ResolvedSandboxOptions {
  const options = optionsObject("startSandbox", given, OPTION_NAMES);
  const retryAfter = options.retryAfter ?? false;
  if (typeof retryAfter === "number") checkInteger("retryAfter", retryAfter, 0, 86_400);
  // Anything else would be sent as the header's text.
  else if (typeof retryAfter !== "boolean")
    throw new TypeError("startSandbox: retryAfter is true, false or whole seconds.");
  return {
    port: checkInteger("port", options.port ?? 0, 0, 65_535),
    plainPort: checkInteger("plainPort", options.plainPort ?? 0, 0, 65_535),
    bookings: checkInteger("bookings", options.bookings ?? 37, 0, 100_000),
    requestLogLimit: checkInteger("requestLogLimit", options.requestLogLimit ?? 100_000, 1, 10_000_000),
    retryAfter,
    email: checkEmail(options.email ?? "admin@example.com"),
    createBucket: bucketFactory(options.rateLimit),
    ipLimit: windowLimitOption("startSandbox: ipRateLimit", options.ipRateLimit, ONCEHUB_PER_IP),
    tls: options.tls === undefined ? undefined : checkTlsMaterial(options.tls, "startSandbox"),
    key: options.key === undefined ? undefined : checkApiKey(options.key, "startSandbox: key"),
  };
}
