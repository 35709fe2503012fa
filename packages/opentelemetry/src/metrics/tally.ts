import type { Attributes } from "@opentelemetry/api";

/** The attribute of the series past the limit, as the OpenTelemetry SDK names its own. */
const OVERFLOW: Attributes = Object.freeze({ "otel.metric.overflow": true });
const OVERFLOW_ID = "\u0000overflow";

/** One series of a {@link Tally}. */
export interface TallySeries {
  readonly attributes: Attributes;
  value: number;
}

/**
 * Counts per attribute set, kept by the instrumentation and read by an observable counter when metrics are
 * collected. Counting every exchange on a synchronous counter would have the SDK hash the attribute set on each
 * request; here a request costs one lookup by a string the caller builds from the few fields that vary, and the
 * SDK sees each series once per collection.
 */
export class Tally {
  readonly #series = new Map<string, TallySeries>();
  readonly #maxSeries: number;

  /** @param maxSeries - Past this many series, new attribute sets count in one `otel.metric.overflow` series. */
  constructor(maxSeries: number) {
    this.#maxSeries = maxSeries;
  }

  /**
   * Adds one to the series named `id`, made with `attributes()` the first time; returns the series, which the
   * caller may add to directly.
   *
   * @param id - The varying fields, joined: one id per attribute set.
   * @param attributes - The series' attributes.
   */
  increment(id: string, attributes: () => Attributes): TallySeries {
    let series = this.#series.get(id);
    if (series === undefined && this.#series.size >= this.#maxSeries) {
      id = OVERFLOW_ID;
      series = this.#series.get(id);
      attributes = () => OVERFLOW;
    }
    if (series === undefined) this.#series.set(id, (series = { attributes: attributes(), value: 0 }));
    series.value++;
    return series;
  }

  /** Every series. */
  values(): IterableIterator<TallySeries> {
    return this.#series.values();
  }
}
