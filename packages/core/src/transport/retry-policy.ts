import { ConfigError } from "../errors/config-error.js";
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

/** Fills in and checks the retry options; `false` turns retries off. */
export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return NO_RETRY;
  const policy: RetryPolicy = {
    maxAttempts: options?.maxAttempts ?? 3,
    baseDelayMs: options?.baseDelayMs ?? 250,
    maxDelayMs: options?.maxDelayMs ?? 5_000,
    maxElapsedMs: options?.maxElapsedMs ?? 30_000,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new ConfigError("retry.maxAttempts must be an integer of at least 1 (the first attempt counts).", {
      variable: "retry.maxAttempts",
    });
  }
  for (const name of ["baseDelayMs", "maxDelayMs", "maxElapsedMs"] as const) {
    if (!(policy[name] >= 0 && Number.isFinite(policy[name]))) {
      throw new ConfigError(`retry.${name} must be a finite number of milliseconds, zero or more.`, {
        variable: `retry.${name}`,
      });
    }
  }
  return policy;
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
