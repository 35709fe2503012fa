import { setTimeout as sleep } from "node:timers/promises";

/**
 * How a throttled read is retried; `false` in the options turns it off.
 *
 * @example
 * ```ts
 * const keys = fromAzureKeyVault({ vaultUrl, secretName, throttleRetry: { maxRetries: 5, baseDelayMs: 500 } });
 * ```
 */
export interface ThrottleRetryOptions {
  /** Retries after the first 429. @defaultValue `3` */
  readonly maxRetries?: number;
  /** The cap of the first delay; it doubles per retry, and each delay is random below its cap. @defaultValue `1_000` */
  readonly baseDelayMs?: number;
}

const isThrottled = (error: unknown): boolean =>
  (error as { statusCode?: unknown } | null)?.statusCode === 429;

/**
 * Runs `attempt` again after a 429, with exponential backoff and full jitter, until the read's signal aborts.
 *
 * Key Vault's 429 can come without `Retry-After`, and the Azure SDK retries a 429 only when that header is
 * there; Microsoft's throttling guidance asks clients to back off exponentially. Other failures pass through.
 */
export async function retryThrottled<T>(
  attempt: () => Promise<T>,
  options: Required<ThrottleRetryOptions> | false,
  signal: () => AbortSignal | undefined,
): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (options === false || retry >= options.maxRetries || !isThrottled(error)) throw error;
      // Capped at what a timer can wait; the read's time limit ends the wait sooner anyway.
      const delay = Math.min(Math.random() * options.baseDelayMs * 2 ** retry, 2_147_483_647);
      // An abort during the wait ends with the 429 seen, which says more than "aborted".
      await sleep(delay, undefined, { signal: signal() }).catch(() => {
        throw error;
      });
    }
  }
}
