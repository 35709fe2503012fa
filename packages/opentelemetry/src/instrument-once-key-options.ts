import type { MeterProvider, TracerProvider } from "@opentelemetry/api";

/**
 * Options of {@link instrumentOnceKey} (and of `setConfig` on what it returns).
 *
 * @example
 * ```ts
 * instrumentOnceKey({ meterProvider, tracerProvider, tenantAttribute: true });
 * ```
 */
export interface InstrumentOnceKeyOptions {
  /**
   * Where the metrics go. Without it, the global meter provider when the instrumentation is enabled; an
   * OpenTelemetry SDK that registers later hands its own through `setMeterProvider` (as `NodeSDK` and
   * `registerInstrumentations` do).
   * @defaultValue `metrics.getMeterProvider()` of `@opentelemetry/api`
   */
  readonly meterProvider?: MeterProvider | undefined;
  /**
   * Where the spans go. Without it, the global tracer provider, which follows an SDK registered later.
   * @defaultValue `trace.getTracerProvider()` of `@opentelemetry/api`
   */
  readonly tracerProvider?: TracerProvider | undefined;
  /**
   * Puts each call's tenant id on its metrics and spans: `true` as `oncekey.tenant`, a string as that attribute
   * name. Off by default, because every tenant becomes a time series of every metric: 10,000 tenants must not
   * become 10,000 series unasked.
   * @defaultValue `false`
   */
  readonly tenantAttribute?: boolean | string | undefined;
  /**
   * Puts the key's fingerprint (`sha256:` and 12 hex digits, never the key) on oncekey's counters and on spans,
   * so usage can be read per key as OnceHub asks. Not on the duration histograms. With one key per tenant the
   * fingerprints are as many as the tenants: turn it off for thousands of tenants.
   * @defaultValue `true`
   */
  readonly fingerprintAttribute?: boolean | undefined;
  /**
   * The clients' `baseUrl`, of which only the path is read: the part of request paths before the resource
   * (`/v2`), so span names can tell ids from resource names. `server.address`, `server.port` and `url.full` come
   * from each call (its client's own base URL); set this only when the clients use another base path.
   * @defaultValue `"https://api.oncehub.com/v2"`
   */
  readonly baseUrl?: string | undefined;
  /**
   * Subscribes at once. `false` waits for `enable()` (which `registerInstrumentations` calls).
   * @defaultValue `true`
   */
  readonly enabled?: boolean;
}
