import type {
  KeyLoadedEvent,
  KeyRotatedEvent,
  KeyStaleEvent,
  KeyWarningEvent,
  PacedEvent,
  RequestEvent,
  RetryEvent,
} from "@oncekey/core/source";
import { type Attributes, type Counter, type Histogram, type Meter, ValueType } from "@opentelemetry/api";
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
import type { ResolvedOptions } from "../resolve-options.js";

/** An event's fields every metric may carry. */
interface Scoped {
  readonly tenant?: string;
  readonly fingerprint?: string;
}

/**
 * The instruments oncekey records on, and how each event is recorded. The duration histograms carry no key
 * fingerprint (buckets times keys is too many series); the counters do unless told not to; every metric carries
 * the tenant when asked to.
 */
export class OnceKeyMetrics {
  readonly #options: ResolvedOptions;
  readonly #duration: Histogram;
  readonly #requests: Counter;
  readonly #retries: Counter;
  readonly #rejections: Counter;
  readonly #keyLoads: Counter;
  readonly #keyLoadDuration: Histogram;
  readonly #rotations: Counter;
  readonly #staleServes: Counter;
  readonly #warnings: Counter;
  readonly #pacingWait: Histogram;

  constructor(meter: Meter, options: ResolvedOptions) {
    this.#options = options;
    const seconds = { unit: "s", advice: { explicitBucketBoundaries: DURATION_BUCKETS } };
    const count = (name: string, description: string, unit: string): Counter =>
      meter.createCounter(name, { description, unit, valueType: ValueType.INT });
    this.#duration = meter.createHistogram(METRIC_HTTP_CLIENT_REQUEST_DURATION, {
      description: "Duration of HTTP client requests.",
      ...seconds,
    });
    this.#requests = count(
      METRIC_REQUESTS,
      "HTTP exchanges with OnceHub, retries and replays included (what usage() counts as requests).",
      "{request}",
    );
    this.#retries = count(
      METRIC_RETRIES,
      "Requests sent again after a 429, a 5xx or a network failure.",
      "{retry}",
    );
    this.#rejections = count(
      METRIC_KEY_REJECTIONS,
      "Answers that refused the key: 401 and 403.",
      "{rejection}",
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
    const { server } = this.#options;
    const status = event.status;
    const method = methodAttribute(event.method);
    const error = errorType(status, event.errorCode);
    const duration: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_SERVER_ADDRESS]: server.address,
      [ATTR_SERVER_PORT]: server.port,
    };
    if (status !== 0) duration[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
    if (error !== undefined) duration[ATTR_ERROR_TYPE] = error;
    this.#addTenant(duration, event);
    this.#duration.record(event.durationMs / 1000, duration);

    const counted = this.#scoped(event);
    if (status !== 0) counted[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
    if (error !== undefined) counted[ATTR_ERROR_TYPE] = error;
    this.#requests.add(1, counted);
    if (status === 401 || status === 403) this.#rejections.add(1, counted);
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
