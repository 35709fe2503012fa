import { ConfigError } from "../errors/config-error.js";
import { checkOptionNames } from "../options/check-option-names.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import { numberOption } from "../options/number-option.js";
import type { RetryOptions } from "./transport-options.js";

/** {@link RetryOptions} with every default filled in. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxElapsedMs: number;
}

/** `retry: false`: one attempt, no waits. */
export const NO_RETRY: RetryPolicy = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxElapsedMs: 0 };

/** The most tries of one call the policy allows. */
const MAX_ATTEMPTS = 20;

/** Fills in and checks the retry options; `false` turns retries off. A bad option is a {@link ConfigError}. */
export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return NO_RETRY;
  const where = "OnceHubClient";
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new ConfigError(
      `${where}: retry must be an object of retry options, or false for one attempt; got ${describeOptionValue(options)}.`,
      { variable: "retry" },
    );
  }
  checkOptionNames(options, ["maxAttempts", "baseDelayMs", "maxDelayMs", "maxElapsedMs"], where, "retry");
  const ms = (value: unknown, name: string, fallback: number): number =>
    numberOption(value, `retry.${name}`, fallback, { unit: "ms" }, where);
  return {
    maxAttempts: numberOption(
      options?.maxAttempts,
      "retry.maxAttempts",
      3,
      { min: 1, max: MAX_ATTEMPTS, integer: true, unit: "the first attempt counts" },
      where,
    ),
    baseDelayMs: ms(options?.baseDelayMs, "baseDelayMs", 250),
    maxDelayMs: ms(options?.maxDelayMs, "maxDelayMs", 5_000),
    maxElapsedMs: ms(options?.maxElapsedMs, "maxElapsedMs", 30_000),
  };
}

/**
 * The wait before retry number `retry` (1 for the first): a random time below `baseDelayMs * 2^(retry-1)`,
 * capped at `maxDelayMs` ("full jitter", so clients that failed together do not come back together).
 */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(Math.random() * ceiling);
}

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** Whether sending the request twice has the effect of sending it once (RFC 9110 §9.2.2). */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method);
}

/** The 5xx answers worth another try: the server or a gateway failed for now. */
export function isRetryableStatus(status: number): boolean {
  return status === 500 || status === 502 || status === 503 || status === 504;
}
