import { MAX_TIMER_MS } from "../options/number-option.js";

/**
 * Resolves after `ms` (at most {@link MAX_TIMER_MS}), or rejects with the signal's reason as soon as it aborts.
 *
 * @param ms - The wait.
 * @param signal - Cancels the wait.
 */
export function abortableDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  const delay = Math.min(ms, MAX_TIMER_MS);
  if (signal === undefined) return new Promise((resolve) => setTimeout(resolve, delay));
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, delay);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
