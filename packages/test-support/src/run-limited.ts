/**
 * Runs `jobs` with at most `limit` of them in flight, and returns their results in the jobs' order. A job's
 * failure rejects the whole run, as `Promise.all` does.
 *
 * @param jobs - The work, each started when a slot is free.
 * @param limit - How many run at once.
 * @example
 * ```ts
 * const answers = await runLimited(plan.map((step) => () => app.call(step.path)), 32);
 * ```
 */
export async function runLimited<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await (jobs[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
