/** Runs a task once a slot is free. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Lets at most `max` tasks run at once and queues the rest in order, so a cold start with thousands of tenants
 * does not open thousands of connections to the vault at the same moment.
 */
export function limitConcurrency(max: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    // Hand the slot straight to the next task, so a newcomer cannot take it in between.
    if (next === undefined) running -= 1;
    else next();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
