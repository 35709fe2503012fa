import type {
  KeyLoadedEvent,
  KeyRotatedEvent,
  KeyStaleEvent,
  KeyWarningEvent,
  PacedEvent,
  RequestEvent,
  RetryEvent,
} from "@oncekey/core/source";
import {
  type Attributes,
  type BatchObservableCallback,
  type Counter,
  type Histogram,
  type Meter,
  type ObservableCounter,
  ValueType,
} from "@opentelemetry/api";
import { errorType, methodAttribute } from "../attributes/http-outcome.js";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_KEY_FINGERPRINT,
  ATTR_KEY_LOAD_REASON,
  ATTR_KEY_PROVIDER,
  ATTR_KEY_WARNING_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DURATION_BUCKETS,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
  METRIC_KEY_LOAD_DURATION,
  METRIC_KEY_LOADS,
  METRIC_KEY_REJECTIONS,
  METRIC_KEY_ROTATIONS,
  METRIC_KEY_STALE_SERVES,
  METRIC_KEY_WARNINGS,
  METRIC_PACING_WAIT,
  METRIC_REQUESTS,
  METRIC_RETRIES,
} from "../attributes/names.js";
import type { Servers } from "../attributes/servers.js";
import type { ResolvedOptions } from "../resolve-options.js";
import { Tally, type TallySeries } from "./tally.js";

/**
 * The most series oncekey keeps per instrument on its side (the SDK has its own limit, 2,000 by default): the
 * tenant, when asked for, makes one per tenant.
 */
const MAX_SERIES = 10_000;

/** The fields of the exchange recorded last that its series depend on, and those series. */
interface LastExchange {
  readonly origin: string;
  readonly method: string;
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly tenant: string | undefined;
  readonly fingerprint: string | undefined;
  readonly duration: Attributes;
  readonly series: TallySeries;
}

/** An event's fields every metric may carry. */
interface Scoped {
  readonly tenant?: string;
  readonly fingerprint?: string;
}

/**
 * The instruments oncekey records on, and how each event is recorded. The duration histograms carry no key
 * fingerprint (buckets times keys is too many series); the counters do unless told not to; every metric carries
 * the tenant when asked to. The per-request counters are observable, fed by a {@link Tally}: the histogram is the
 * only instrument the SDK sees on each request.
 */
export class OnceKeyMetrics {
  readonly #options: ResolvedOptions;
  readonly #servers: Servers;
  readonly #meter: Meter;
  readonly #duration: Histogram;
  readonly #durationAttributes = new Map<string, Attributes>();
  readonly #requests: ObservableCounter;
  readonly #rejections: ObservableCounter;
  readonly #requestTally = new Tally(MAX_SERIES);
  readonly #observe: BatchObservableCallback;
  #last: LastExchange | undefined;
  readonly #retries: Counter;
  readonly #keyLoads: Counter;
  readonly #keyLoadDuration: Histogram;
  readonly #rotations: Counter;
  readonly #staleServes: Counter;
  readonly #warnings: Counter;
  readonly #pacingWait: Histogram;

  constructor(meter: Meter, options: ResolvedOptions, servers: Servers) {
    this.#options = options;
    this.#servers = servers;
    this.#meter = meter;
    const seconds = { unit: "s", advice: { explicitBucketBoundaries: DURATION_BUCKETS } };
    const count = (name: string, description: string, unit: string): Counter =>
      meter.createCounter(name, { description, unit, valueType: ValueType.INT });
    const observed = (name: string, description: string, unit: string): ObservableCounter =>
      meter.createObservableCounter(name, { description, unit, valueType: ValueType.INT });
    this.#duration = meter.createHistogram(METRIC_HTTP_CLIENT_REQUEST_DURATION, {
      description: "Duration of HTTP client requests.",
      ...seconds,
    });
    this.#requests = observed(
      METRIC_REQUESTS,
      "HTTP exchanges with OnceHub, retries and replays included (what usage() counts as requests).",
      "{request}",
    );
    this.#rejections = observed(
      METRIC_KEY_REJECTIONS,
      "Answers that refused the key: 401 and 403.",
      "{rejection}",
    );
    this.#observe = (result) => {
      for (const series of this.#requestTally.values()) {
        result.observe(this.#requests, series.value, series.attributes);
        const status = series.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE];
        if (status === 401 || status === 403)
          result.observe(this.#rejections, series.value, series.attributes);
      }
    };
    meter.addBatchObservableCallback(this.#observe, [this.#requests, this.#rejections]);
    this.#retries = count(
      METRIC_RETRIES,
      "Requests sent again after a 429, a 5xx or a network failure.",
      "{retry}",
    );
    this.#keyLoads = count(METRIC_KEY_LOADS, "Keys read from their source.", "{load}");
    this.#keyLoadDuration = meter.createHistogram(METRIC_KEY_LOAD_DURATION, {
      description: "How long reading a key from its source took.",
      ...seconds,
    });
    this.#rotations = count(METRIC_KEY_ROTATIONS, "Reloads that returned a different key.", "{rotation}");
    this.#staleServes = count(
      METRIC_KEY_STALE_SERVES,
      "Keys served from the cache because their source failed (stale-if-error).",
      "{serve}",
    );
    this.#warnings = count(
      METRIC_KEY_WARNINGS,
      "Warnings about a key source (e.g. a key file others can read).",
      "{warning}",
    );
    this.#pacingWait = meter.createHistogram(METRIC_PACING_WAIT, {
      description:
        "Time requests were held back to stay within OnceHub's per-key rate limit (estimated when queued).",
      ...seconds,
    });
  }

  /** One HTTP exchange. */
  request(event: RequestEvent): void {
    const seconds = event.durationMs / 1000;
    const last = this.#last;
    // Most exchanges look like the one before (GET, 200, the same key): their series are found without a lookup.
    if (
      last !== undefined &&
      last.status === event.status &&
      last.fingerprint === event.fingerprint &&
      last.method === event.method &&
      last.origin === event.origin &&
      last.tenant === event.tenant &&
      last.errorCode === event.errorCode
    ) {
      this.#duration.record(seconds, last.duration);
      last.series.value++;
      return;
    }
    const { fingerprintAttribute, tenantAttribute } = this.#options;
    const status = event.status;
    const error = errorType(status, event.errorCode);
    const tenant = tenantAttribute === undefined ? undefined : event.tenant;
    const duration = this.#durationAttributesOf(event.origin, event.method, status, error, tenant);
    this.#duration.record(seconds, duration);
    const fingerprint = fingerprintAttribute ? event.fingerprint : undefined;
    const series = this.#requestTally.increment(`${fingerprint}\n${status}\n${error}\n${tenant}`, () => {
      const attributes: Attributes = {};
      if (fingerprint !== undefined) attributes[ATTR_KEY_FINGERPRINT] = fingerprint;
      if (tenant !== undefined) attributes[tenantAttribute as string] = tenant;
      if (status !== 0) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
      if (error !== undefined) attributes[ATTR_ERROR_TYPE] = error;
      return attributes;
    });
    this.#last = {
      origin: event.origin,
      method: event.method,
      status,
      errorCode: event.errorCode,
      tenant: event.tenant,
      fingerprint: event.fingerprint,
      duration,
      series,
    };
  }

  /** Stops reporting the observable counters (the instrumentation moved to another meter provider). */
  close(): void {
    this.#meter.removeBatchObservableCallback(this.#observe, [this.#requests, this.#rejections]);
  }

  /** The histogram's attributes for an exchange: one object per combination, made once. */
  #durationAttributesOf(
    origin: string,
    method: string,
    status: number,
    error: string | undefined,
    tenant: string | undefined,
  ): Attributes {
    const id = `${origin}\n${method}\n${status}\n${error}\n${tenant}`;
    let attributes = this.#durationAttributes.get(id);
    if (attributes === undefined) {
      const { tenantAttribute } = this.#options;
      const server = this.#servers.of(origin);
      attributes = {
        [ATTR_HTTP_REQUEST_METHOD]: methodAttribute(method),
        [ATTR_SERVER_ADDRESS]: server.address,
        [ATTR_SERVER_PORT]: server.port,
      };
      if (status !== 0) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
      if (error !== undefined) attributes[ATTR_ERROR_TYPE] = error;
      if (tenant !== undefined) attributes[tenantAttribute as string] = tenant;
      if (this.#durationAttributes.size >= MAX_SERIES) this.#durationAttributes.clear();
      this.#durationAttributes.set(id, attributes);
    }
    return attributes;
  }

  /** A retry after a failed exchange. */
  retry(event: RetryEvent): void {
    const attributes = this.#scoped(event);
    attributes[ATTR_HTTP_REQUEST_METHOD] = methodAttribute(event.method);
    attributes[ATTR_ERROR_TYPE] = event.reason;
    this.#retries.add(1, attributes);
  }

  /** A key read from its source. */
  keyLoaded(event: KeyLoadedEvent): void {
    const attributes = this.#scoped(event);
    attributes[ATTR_KEY_PROVIDER] = event.provider;
    attributes[ATTR_KEY_LOAD_REASON] = event.reason;
    this.#keyLoads.add(1, attributes);
    const timed: Attributes = { [ATTR_KEY_PROVIDER]: event.provider, [ATTR_KEY_LOAD_REASON]: event.reason };
    this.#addTenant(timed, event);
    this.#keyLoadDuration.record(event.durationMs / 1000, timed);
  }

  /** A reload that returned a different key. */
  keyRotated(event: KeyRotatedEvent): void {
    this.#rotations.add(1, this.#scoped(event));
  }

  /** The last good key served because the source failed. */
  keyStale(event: KeyStaleEvent): void {
    const attributes = this.#scoped(event);
    attributes[ATTR_ERROR_TYPE] = event.errorCode;
    this.#staleServes.add(1, attributes);
  }

  /** A warning about a key source. */
  keyWarning(event: KeyWarningEvent): void {
    const attributes: Attributes = { [ATTR_KEY_WARNING_CODE]: event.code };
    this.#addTenant(attributes, event);
    this.#warnings.add(1, attributes);
  }

  /** A request held back by pacing. */
  paced(event: PacedEvent): void {
    const attributes: Attributes = {};
    this.#addTenant(attributes, event);
    this.#pacingWait.record(event.waitMs / 1000, attributes);
  }

  /** The fingerprint and tenant attributes the options ask for. */
  #scoped(event: Scoped): Attributes {
    const attributes: Attributes = {};
    if (this.#options.fingerprintAttribute && event.fingerprint !== undefined)
      attributes[ATTR_KEY_FINGERPRINT] = event.fingerprint;
    this.#addTenant(attributes, event);
    return attributes;
  }

  #addTenant(attributes: Attributes, event: Scoped): void {
    const name = this.#options.tenantAttribute;
    if (name !== undefined && event.tenant !== undefined) attributes[name] = event.tenant;
  }
}
