import type { InstrumentOnceKeyOptions } from "./instrument-once-key-options.js";
import { OnceKeyInstrumentation } from "./once-key-instrumentation.js";

/**
 * Records OpenTelemetry metrics and spans for every OnceHub call and API key of `@oncekey/core` in this process,
 * from what core publishes on `node:diagnostics_channel`: the `oncekey:call` tracing channel around each API call
 * and the events `oncekey:request`, `oncekey:retry`, `oncekey:key:*`, `oncekey:paced`. No client needs to know:
 * every client, provider and cache reports there. Nothing is recorded, and core builds no event and traces no
 * call, while it is disabled.
 *
 * - Metrics: `http.client.request.duration` (seconds; method, status code, server, `error.type`), and
 *   `oncekey.requests`, `oncekey.retries`, `oncekey.key.rejections` (401, 403), `oncekey.key.loads`,
 *   `oncekey.key.load.duration`, `oncekey.key.rotations`, `oncekey.key.stale_serves`, `oncekey.key.warnings`,
 *   `oncekey.pacing.wait.duration`. `oncekey.requests` counts what `client.usage()` counts.
 * - Traces: one CLIENT span per API call, from before its key is read to its end, a child of the caller's span
 *   and, with a context manager, the parent of spans made inside the call (an undici instrumentation's); key reads,
 *   stale keys, pacing, retries, key rejections and the rotation as span events; the error's code as
 *   `error.type` when it failed.
 * - Never the key: its fingerprint at most. The tenant only when `tenantAttribute` asks for it.
 *
 * @param options - {@link InstrumentOnceKeyOptions}. A bad option is a `ConfigError` (code `CONFIG`) naming it.
 * @returns The {@link OnceKeyInstrumentation}, subscribed unless `enabled: false`; `disable()` stops it.
 * @example
 * ```ts
 * import { metrics, trace } from "@opentelemetry/api";
 * import { instrumentOnceKey } from "@oncekey/opentelemetry";
 *
 * const instrumentation = instrumentOnceKey({
 *   meterProvider: metrics.getMeterProvider(),
 *   tracerProvider: trace.getTracerProvider(),
 * });
 * // at shutdown:
 * instrumentation.disable();
 * ```
 */
export function instrumentOnceKey(options?: InstrumentOnceKeyOptions): OnceKeyInstrumentation {
  return new OnceKeyInstrumentation(options);
}
