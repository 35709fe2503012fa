let last = 0;

/**
 * A number for a new API call, unique in the process: its `CallTrace.id` and the `callId` of every event it
 * publishes, so an observer (a log, a span) can tell one call's events from another's without following async
 * context.
 *
 * @example
 * ```ts
 * const call = { id: nextCallId(), method: "GET", target: "/v2/test" };
 * ```
 */
export function nextCallId(): number {
  return ++last;
}
