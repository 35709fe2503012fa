/**
 * Waits until `done()` holds, checking every few milliseconds, and fails after `ms`: for conditions that a
 * loaded machine reaches late, never a fixed sleep.
 */
export async function until(done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
