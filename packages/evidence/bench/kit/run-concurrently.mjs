// Closed-loop load: `concurrency` workers, each sending its next request when its last one settled, until `total`
// requests were sent; what a busy service's client does.
import { collectGarbage } from "./stats.mjs";

/**
 * Sends `total` requests through `send`, `concurrency` at a time, and returns the throughput and this process's
 * CPU time (user + system) per request. Each worker is started through `start` when given (to run it inside an
 * active context, say); a full garbage collection comes first, so one sample does not pay for the last one's
 * garbage.
 *
 * @param {() => Promise<unknown>} send - One request.
 * @param {{ total: number, concurrency: number, start?: (worker: () => Promise<void>) => Promise<void> }} options
 * @returns {Promise<{ perSecond: number, cpuMicros: number }>}
 */
export async function runConcurrently(send, { total, concurrency, start }) {
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      await send();
    }
  };
  const launch = start === undefined ? worker : () => start(worker);
  collectGarbage();
  const cpuBefore = process.cpuUsage();
  const began = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, launch));
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: total / seconds, cpuMicros: (cpu.user + cpu.system) / total };
}
