import type { OnceKeyEvent } from "@oncekey/core";

/**
 * Listens to a client's `request` events and keeps the duration of the last attempt at `GET /test` that got an
 * answer: the request's latency, without the client's pacing or the pauses between retries.
 *
 * @example
 * ```ts
 * const probe = new LatencyProbe();
 * const client = new OnceHubClient({ keys, onEvent: probe.onEvent });
 * await client.test();
 * probe.latencyMs; // e.g. 38
 * ```
 */
export class LatencyProbe {
  #latencyMs: number | null = null;

  /** The listener to give the client. */
  readonly onEvent = (event: OnceKeyEvent): void => {
    if (event.type === "request" && event.path.endsWith("/test") && event.status > 0) {
      this.#latencyMs = Math.round(event.durationMs);
    }
  };

  /** The last answered attempt's duration in whole milliseconds, or `null` when none was answered. */
  get latencyMs(): number | null {
    return this.#latencyMs;
  }
}
