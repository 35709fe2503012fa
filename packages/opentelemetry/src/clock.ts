import { performance } from "node:perf_hooks";

/**
 * Now, in epoch milliseconds with sub-millisecond precision: the clock OpenTelemetry's SDK stamps spans with, so
 * times rebuilt from an event's `durationMs` line up with spans the app makes itself.
 */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
