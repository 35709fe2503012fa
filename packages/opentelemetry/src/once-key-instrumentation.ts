import diagnostics from "node:diagnostics_channel";
import { eventChannelName, type OnceKeyEvent } from "@oncekey/core";
import {
  CALL_CHANNEL,
  type CallTrace,
  type KeyLoadedEvent,
  type KeyRejectedEvent,
  type KeyRotatedEvent,
  type KeyStaleEvent,
  type KeyWarningEvent,
  type PacedEvent,
  type RequestEvent,
  type RetryEvent,
} from "@oncekey/core/source";
import { type MeterProvider, metrics, trace, type Tracer, type TracerProvider } from "@opentelemetry/api";
import { Servers } from "./attributes/servers.js";
import type { InstrumentOnceKeyOptions } from "./instrument-once-key-options.js";
import { OnceKeyMetrics } from "./metrics/once-key-metrics.js";
import { type ResolvedOptions, resolveOptions } from "./resolve-options.js";
import { CallSpans } from "./traces/call-spans.js";
import { PACKAGE_NAME, VERSION } from "./version.js";

type Handlers = { readonly [T in OnceKeyEvent["type"]]?: (message: unknown) => void };

type CallHandlers = diagnostics.TracingChannelSubscribers<CallTrace>;

/** For the two channels it needs nothing from: `subscribe` is typed to take all five. */
const ignore = (): void => {};

/** What is subscribed while enabled. */
interface Subscription {
  readonly events: Handlers;
  readonly calls: CallHandlers;
  readonly spans: CallSpans;
}

const callChannel = diagnostics.tracingChannel<unknown, CallTrace>(CALL_CHANNEL);

/**
 * `handler`, made unable to throw: diagnostics_channel turns a subscriber's exception into an uncaught one, and an
 * observer must never break a call, let alone the process.
 */
function guarded<A>(handler: (argument: A) => void): (argument: A) => void {
  return (argument) => {
    try {
      handler(argument);
    } catch {
      // Dropped: the telemetry of one event is lost, the call goes on.
    }
  };
}

/**
 * What {@link instrumentOnceKey} returns: the subscription to oncekey's `diagnostics_channel` events, in the shape
 * of an OpenTelemetry `Instrumentation`, so it also goes in `NodeSDK`'s `instrumentations` or
 * `registerInstrumentations()`, which hand it their providers. `disable()` unsubscribes (and ends the spans of
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
  readonly #servers = new Servers();
  #metrics: OnceKeyMetrics;
  #meterProvider: MeterProvider | undefined;
  #tracerProvider: TracerProvider | undefined;
  #subscription: Subscription | undefined;

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
    if (this.#options.enabled) this.enable();
  }

  /** Whether the instrumentation is subscribed. */
  get enabled(): boolean {
    return this.#subscription !== undefined;
  }

  /** Subscribes to oncekey's events and calls; does nothing when already subscribed. */
  enable(): void {
    if (this.#subscription !== undefined) return;
    // Without a meter provider of its own, it records on the global one as it is now (the global tracer provider
    // is a proxy that follows a later registration; the meter provider is not).
    if (this.#meterProvider === undefined) this.#replaceMetrics();
    const spans = new CallSpans(this.#tracer(), this.#options, this.#servers);
    const events: Handlers = {
      request: (message) => {
        const event = message as RequestEvent;
        this.#metrics.request(event);
        spans.request(event);
      },
      retry: (message) => {
        const event = message as RetryEvent;
        this.#metrics.retry(event);
        spans.retry(event);
      },
      "key:rejected": (message) => spans.keyRejected(message as KeyRejectedEvent),
      "key:loaded": (message) => {
        const event = message as KeyLoadedEvent;
        this.#metrics.keyLoaded(event);
        spans.keyLoaded(event);
      },
      "key:rotated": (message) => this.#metrics.keyRotated(message as KeyRotatedEvent),
      "key:stale": (message) => {
        const event = message as KeyStaleEvent;
        this.#metrics.keyStale(event);
        spans.keyStale(event);
      },
      "key:warning": (message) => this.#metrics.keyWarning(message as KeyWarningEvent),
      paced: (message) => {
        const event = message as PacedEvent;
        this.#metrics.paced(event);
        spans.paced(event);
      },
    };
    const guardedEvents = Object.fromEntries(
      Object.entries(events).map(([type, handler]) => [type, guarded(handler)]),
    ) as Handlers;
    const calls: CallHandlers = {
      start: guarded((trace: CallTrace) => spans.started(trace)),
      end: guarded((trace: CallTrace) => spans.returned(trace)),
      asyncStart: ignore,
      asyncEnd: guarded((trace: CallTrace) => spans.settled(trace)),
      // A failure comes with `asyncEnd` too (or `end`, thrown at once), where `error` is on the trace.
      error: ignore,
    };
    callChannel.subscribe(calls);
    for (const [type, handler] of Object.entries(guardedEvents))
      diagnostics.subscribe(eventChannelName(type as OnceKeyEvent["type"]), handler);
    this.#subscription = { events: guardedEvents, calls, spans };
  }

  /**
   * Unsubscribes, so core builds no event and traces no call for it, and ends the spans of calls still in
   * progress as they stand.
   */
  disable(): void {
    const subscription = this.#subscription;
    if (subscription === undefined) return;
    this.#subscription = undefined;
    for (const [type, handler] of Object.entries(subscription.events))
      diagnostics.unsubscribe(eventChannelName(type as OnceKeyEvent["type"]), handler);
    callChannel.unsubscribe(subscription.calls);
    subscription.spans.close();
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
   * Writes spans to `tracerProvider` from the next call on.
   *
   * @param tracerProvider - The SDK's tracer provider.
   */
  setTracerProvider(tracerProvider: TracerProvider): void {
    this.#tracerProvider = tracerProvider;
    this.#subscription?.spans.useTracer(this.#tracer());
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
   * is left to `enable()` and `disable()`. The spans of calls in progress are ended as they stand.
   *
   * @param options - {@link InstrumentOnceKeyOptions}.
   */
  setConfig(options: InstrumentOnceKeyOptions): void {
    const resolved = resolveOptions(options);
    const enabled = this.enabled;
    this.disable();
    this.#options = resolved;
    this.#meterProvider = resolved.meterProvider ?? this.#meterProvider;
    this.#tracerProvider = resolved.tracerProvider ?? this.#tracerProvider;
    this.#replaceMetrics();
    if (enabled) this.enable();
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
      this.#servers,
    );
  }

  #tracer(): Tracer {
    const provider = this.#tracerProvider ?? trace.getTracerProvider();
    return provider.getTracer(this.instrumentationName, this.instrumentationVersion);
  }
}
