import { setTimeout as sleep } from "node:timers/promises";

/**
 * Calls `probe` until it returns `true`, every `intervalMs`, and fails once `deadlineMs` has passed. The deadline is
 * a bound on the wait, not a measurement.
 */
export async function eventually(
  probe: () => Promise<boolean> | boolean,
  { deadlineMs = 10_000, intervalMs = 20, what = "the condition" } = {},
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${deadlineMs} ms`);
    await sleep(intervalMs);
  }
}
