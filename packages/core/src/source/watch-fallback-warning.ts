import type { EventHub } from "../events/event-hub.js";

/**
 * Where a watch fell back, as a {@link WatchFallbackWarning} speaks of it.
 * @inline
 */
export interface FallbackPlace {
  /** The directory as messages show it: `/run/secrets`, or `the directory of <ONCEKEY_FILE_PATH>`. */
  readonly directory: string;
  /** The `source` of the event. */
  readonly source: string;
  /** The tenant whose file is there, if any. */
  readonly tenant?: string | undefined;
}

/**
 * The `key:warning` (code `WATCH_FALLBACK`) that a file source sends when a directory cannot be watched with
 * `fs.watch` (an inotify limit reached, an unsupported file system) and is polled instead, or not followed at all
 * when polling is off. Sent once per provider: with thousands of tenants' directories, one inotify limit would
 * otherwise mean thousands of warnings.
 *
 * @example
 * ```ts
 * const fallback = new WatchFallbackWarning(events, 1_000);
 * const directory = new WatchedDirectory(path, { …, onFallback: (reason) => fallback.report({ directory: path, source }, reason) });
 * ```
 */
export class WatchFallbackWarning {
  readonly #events: EventHub;
  readonly #pollIntervalMs: number;
  #reported = false;

  /**
   * @param events - Where the warning goes.
   * @param pollIntervalMs - How often a polled directory is looked at; `0` for never.
   */
  constructor(events: EventHub, pollIntervalMs: number) {
    this.#events = events;
    this.#pollIntervalMs = pollIntervalMs;
  }

  /** Sends the warning, unless one was sent already. */
  report(place: FallbackPlace, reason: string): void {
    if (this.#reported) return;
    this.#reported = true;
    const how =
      this.#pollIntervalMs > 0
        ? `polling it every ${this.#pollIntervalMs} ms instead, as any other directory that cannot be watched ` +
          "(without another warning)"
        : "and pollIntervalMs is 0, so changes there are not followed";
    this.#events.emit({
      type: "key:warning",
      time: Date.now(),
      ...(place.tenant === undefined ? {} : { tenant: place.tenant }),
      source: place.source,
      code: "WATCH_FALLBACK",
      message:
        `Cannot watch ${place.directory} for changes (${reason}); ${how}. Raise fs.inotify.max_user_watches, or ` +
        'set watchMode: "poll" with a pollIntervalMs.',
    });
  }
}
