import type { OnceKeyEvent } from "@oncekey/core";

/** What {@link eventLog} returns. */
export interface EventLog {
  /** Every event received, in order. */
  readonly events: OnceKeyEvent[];
  /** The listener to pass as `onEvent`. */
  readonly onEvent: (event: OnceKeyEvent) => void;
  /** The events of one type. */
  ofType<T extends OnceKeyEvent["type"]>(type: T): Extract<OnceKeyEvent, { type: T }>[];
}

/**
 * Collects the events passed to an `onEvent` listener.
 *
 * @example
 * ```ts
 * const log = eventLog();
 * const client = new OnceHubClient({ keys, onEvent: log.onEvent });
 * expect(log.ofType("key:rotated")).toHaveLength(1);
 * ```
 */
export function eventLog(): EventLog {
  const events: OnceKeyEvent[] = [];
  return {
    events,
    onEvent: (event) => void events.push(event),
    ofType: <T extends OnceKeyEvent["type"]>(type: T) =>
      events.filter((event): event is Extract<OnceKeyEvent, { type: T }> => event.type === type),
  };
}
