import type { Sandbox } from "@oncekey/sandbox";

/**
 * The most requests the sandbox counted against its per-IP limit in any window of `windowMs` (every request but
 * those the per-IP limit refused): at most the limit, if it held.
 *
 * @param sandbox - The sandbox, with `ipRateLimit` on.
 * @param windowMs - The window.
 */
export function busiestWindow(sandbox: Sandbox, windowMs: number): number {
  const times = sandbox.requests
    .all()
    .filter((request) => request.limitedBy !== "ip")
    .map((request) => request.time)
    .sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[start] as number) <= (times[end] as number) - windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
