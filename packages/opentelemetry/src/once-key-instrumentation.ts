import diagnostics from "node:diagnostics_channel";
import { eventChannelName, type OnceKeyEvent } from "@oncekey/core";
import type {
  KeyLoadedEvent,
  KeyRejectedEvent,
  KeyRotatedEvent,
  KeyStaleEvent,
  KeyWarningEvent,
  PacedEvent,
  RequestEvent,
  RetryEvent,
} from "@oncekey/core/source";
import { type MeterProvider, metrics, trace, type TracerProvider } from "@opentelemetry/api";
import type { InstrumentOnceKeyOptions } from "./instrument-once-key-options.js";
import { OnceKeyMetrics } from "./metrics/once-key-metrics.js";
import { type ResolvedOptions, resolveOptions } from "./resolve-options.js";
import { CallSpans } from "./traces/call-spans.js";
import { PACKAGE_NAME, VERSION } from "./version.js";

type Handlers = { readonly [T in OnceKeyEvent["type"]]?: (message: unknown) => void };

/**
 * What {@link instrumentOnceKey} returns: the subscription to oncekey's `diagnostics_channel` events, in the shape
 * of an OpenTelemetry `Instrumentation`, so it also goes in `NodeSDK`'s `instrumentations` or
 * `registerInstrumentations()`, which hand it their providers. `disable()` unsubscribes (and writes the spans of
 * calls still in progress); `enable()` subscribes again.
 *
 * @example
 * ```ts
 * const instrumentation = instrumentOnceKey({ meterProvider, tracerProvider });
 * // …
 * instrumentation.disable();
 * ```
 */
export class OnceKeyInstrumentation {
  /** The instrumentation scope of the meter and tracer: `@oncekey/opentelemetry`. */
  readonly instrumentationName: string = PACKAGE_NAME;
  /** This package's version. */
  readonly instrumentationVersion: string = VERSION;
  #options: ResolvedOptions;
  #metrics: OnceKeyMetrics;
  #spans: CallSpans;
  #meterProvider: MeterProvider | undefined;
  #tracerProvider: TracerProvider | undefined;
  #subscribed: Handlers | undefined;

  /**
   * Prefer {@link instrumentOnceKey}. Checks the options (a `ConfigError` naming a bad one) and subscribes unless
   * `enabled` is `false`.
   *
   * @param options - {@link InstrumentOnceKeyOptions}.
   */
  constructor(options?: InstrumentOnceKeyOptions) {
    this.#options = resolveOptions(options);
    this.#meterProvider = this.#options.meterProvider;
    this.#tracerProvider = this.#options.tracerProvider;
    this.#metrics = this.#newMetrics();
    this.#spans = new CallSpans(this.#tracer(), this.#options);
    if (this.#options.enabled) this.enable();
  }

  /** Whether the instrumentation is subscribed. */
  get enabled(): boolean {
    return this.#subscribed !== undefined;
  }

  /** Subscribes to oncekey's events; does nothing when already subscribed. */
  enable(): void {
    if (this.#subscribed !== undefined) return;
    // Without a meter provider of its own, it records on the global one as it is now (the global tracer provider
    // is a proxy that follows a later registration; the meter provider is not).
    if (this.#meterProvider === undefined) this.#replaceMetrics();
    const handlers: Handlers = {
      request: (message) => {
        const event = message as RequestEvent;
        this.#metrics.request(event);
        this.#spans.request(event);
      },
      retry: (message) => {
        const event = message as RetryEvent;
        this.#metrics.retry(event);
        this.#spans.retry(event);
      },
      "key:rejected": (message) => this.#spans.keyRejected(message as KeyRejectedEvent),
      "key:loaded": (message) => {
        const event = message as KeyLoadedEvent;
        this.#metrics.keyLoaded(event);
        this.#spans.keyLoaded(event);
      },
      "key:rotated": (message) => this.#metrics.keyRotated(message as KeyRotatedEvent),
      "key:stale": (message) => this.#metrics.keyStale(message as KeyStaleEvent),
      "key:warning": (message) => this.#metrics.keyWarning(message as KeyWarningEvent),
      paced: (message) => this.#metrics.paced(message as PacedEvent),
    };
    for (const [type, handler] of Object.entries(handlers))
      diagnostics.subscribe(eventChannelName(type as OnceKeyEvent["type"]), handler);
    this.#subscribed = handlers;
  }

  /** Unsubscribes, so oncekey builds no event for it, and writes the spans of calls still in progress. */
  disable(): void {
    const handlers = this.#subscribed;
    if (handlers === undefined) return;
    this.#subscribed = undefined;
    for (const [type, handler] of Object.entries(handlers))
      diagnostics.unsubscribe(eventChannelName(type as OnceKeyEvent["type"]), handler);
    this.#spans.flush();
  }

  /**
   * Records on `meterProvider` from now on (what `NodeSDK` and `registerInstrumentations` call).
   *
   * @param meterProvider - The SDK's meter provider.
   */
  setMeterProvider(meterProvider: MeterProvider): void {
    this.#meterProvider = meterProvider;
    this.#replaceMetrics();
  }

  /**
   * Writes spans to `tracerProvider` from now on.
   *
   * @param tracerProvider - The SDK's tracer provider.
   */
  setTracerProvider(tracerProvider: TracerProvider): void {
    this.#tracerProvider = tracerProvider;
    this.#spans.tracer = this.#tracer();
  }

  /** Part of the `Instrumentation` shape; oncekey writes no log records. */
  setLoggerProvider(): void {}

  /** The options in force (providers included) and whether it is enabled. */
  getConfig(): InstrumentOnceKeyOptions {
    const { tenantAttribute, fingerprintAttribute, baseUrl } = this.#options;
    return {
      meterProvider: this.#meterProvider,
      tracerProvider: this.#tracerProvider,
      tenantAttribute: tenantAttribute ?? false,
      fingerprintAttribute,
      baseUrl,
      enabled: this.enabled,
    };
  }

  /**
   * Replaces the options, checked as the constructor checks them. Providers not given stay as they are; `enabled`
   * is left to `enable()` and `disable()`.
   *
   * @param options - {@link InstrumentOnceKeyOptions}.
   */
  setConfig(options: InstrumentOnceKeyOptions): void {
    const resolved = resolveOptions(options);
    this.#spans.flush();
    this.#options = resolved;
    this.#meterProvider = resolved.meterProvider ?? this.#meterProvider;
    this.#tracerProvider = resolved.tracerProvider ?? this.#tracerProvider;
    this.#replaceMetrics();
    this.#spans = new CallSpans(this.#tracer(), resolved);
  }

  /** New instruments on the current meter provider; the old ones stop reporting. */
  #replaceMetrics(): void {
    this.#metrics.close();
    this.#metrics = this.#newMetrics();
  }

  #newMetrics(): OnceKeyMetrics {
    const provider = this.#meterProvider ?? metrics.getMeterProvider();
    return new OnceKeyMetrics(
      provider.getMeter(this.instrumentationName, this.instrumentationVersion),
      this.#options,
    );
  }

  #tracer() {
    const provider = this.#tracerProvider ?? trace.getTracerProvider();
    return provider.getTracer(this.instrumentationName, this.instrumentationVersion);
  }
}
