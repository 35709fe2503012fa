import diagnostics from "node:diagnostics_channel";

/**
 * What the `oncekey:call` tracing channel carries for one API call: set before it starts, with `result` or
 * `error` added by the channel when it ends. Never the key; the path without its query (which may hold personal
 * data).
 *
 * @example
 * ```ts
 * diagnostics_channel.tracingChannel("oncekey:call").subscribe({
 *   start: (call: CallTrace) => console.log("→", call.method, call.path),
 *   asyncEnd: (call: CallTrace) => console.log("←", call.method, call.path),
 *   error: (call: CallTrace) => console.log("✗", call.method, call.path, call.error),
 * });
 * ```
 */
export interface CallTrace {
  /** The call's number, unique in the process: the `callId` of every event the call publishes. */
  readonly id: number;
  /** `GET`, `POST` … */
  readonly method: string;
  /** The path relative to the origin, e.g. `/v2/bookings/BKNG-1`, without the query. */
  readonly path: string;
  /** The tenant whose key the call uses, if any. */
  readonly tenant?: string;
  /** The base URL's origin, e.g. `https://api.oncehub.com`: the only place the key goes. */
  readonly origin: string;
  /** The call's answer, set when it succeeded. */
  result?: unknown;
  /** What the call failed with, set when it failed. */
  error?: unknown;
}

/**
 * The name of the tracing channel of API calls (`oncekey:call`, so its channels are `tracing:oncekey:call:start` …).
 *
 * @example
 * ```ts
 * diagnostics_channel.tracingChannel(CALL_CHANNEL).subscribe({
 *   start: (call: CallTrace) => console.log(call.method, call.path),
 * });
 * ```
 */
export const CALL_CHANNEL = "oncekey:call";

const channel = diagnostics.tracingChannel<unknown, CallTrace>(CALL_CHANNEL);

/** Whether anyone subscribes to the `oncekey:call` tracing channel, so a call builds its {@link CallTrace}. */
export function isCallTraced(): boolean {
  return channel.hasSubscribers;
}

/**
 * Runs an API call, `run(config, call)`, inside the `oncekey:call` tracing channel (call it only when
 * {@link isCallTraced}; an OpenTelemetry instrumentation subscribes, to make one span per call): `start` before
 * anything of the call happens (the key read included), `asyncEnd` or `error` once it settles, and every event the
 * call publishes in between runs in its async context, so a store bound to `start` (`bindStore`) tells which call
 * an event belongs to. The call's arguments are passed through, so no closure is made per call.
 *
 * @param trace - What the call is.
 * @param run - The call.
 * @param config - `run`'s first argument.
 * @param call - `run`'s second argument.
 */
export function traceCall<C, A, T>(
  trace: CallTrace,
  run: (config: C, call: A) => Promise<T>,
  config: C,
  call: A,
): Promise<T> {
  return channel.tracePromise(run, trace, undefined, config, call) as Promise<T>;
}
