import { setTimeout as sleep } from "node:timers/promises";

/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** How long to keep trying; a bound on the wait, never a measurement. @defaultValue 10_000 */
  readonly deadlineMs?: number;
  /** Pause between tries. @defaultValue 10 */
  readonly intervalMs?: number;
  /** What is awaited, for the failure message. @defaultValue "the condition" */
  readonly what?: string;
}

/**
 * Calls `probe` until it returns something other than `undefined`, `null` or `false`, and returns that; fails
 * after `deadlineMs`. For conditions a loaded machine reaches late: never a fixed sleep, never a time assertion.
 *
 * @param probe - Checked at once, then every `intervalMs`.
 * @param options - {@link EventuallyOptions}.
 * @example
 * ```ts
 * await eventually(() => sandbox.requests.length >= 3, { what: "three requests" });
 * const event = await eventually(() => events.find((e) => e.type === "key:rotated"));
 * ```
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  { deadlineMs = 10_000, intervalMs = 10, what = "the condition" }: EventuallyOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) {
      return value as Exclude<T, undefined | null | false>;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${deadlineMs} ms`);
    await sleep(intervalMs);
  }
}
