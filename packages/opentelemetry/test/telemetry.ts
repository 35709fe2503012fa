import type { Attributes } from "@opentelemetry/api";
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  type Sampler,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

/** A data point as the tests read it: its attributes, and its value (a sum, or a histogram's count and sum). */
export interface Point {
  readonly attributes: Attributes;
  readonly value: number;
  /** A histogram's sum; `undefined` for a counter. */
  readonly sum: number | undefined;
}

/** An OpenTelemetry SDK whose exporters keep everything in memory. */
export interface Telemetry {
  readonly meterProvider: MeterProvider;
  readonly tracerProvider: BasicTracerProvider;
  /** Exports the metrics now and returns every exported metric. */
  metrics(): Promise<MetricData[]>;
  /** The data points of `name` (a counter's sums, a histogram's counts), after an export. */
  points(name: string): Promise<Point[]>;
  /** The sum over the points of `name` whose attributes include `where`. */
  total(name: string, where?: Attributes): Promise<number>;
  /** The finished spans. */
  spans(): ReadableSpan[];
  shutdown(): Promise<void>;
}

/**
 * An SDK with the in-memory exporters: cumulative metrics exported on demand, spans as they end.
 *
 * @param sampler - Decides which spans record; every one by default.
 */
export function inMemoryTelemetry(sampler?: Sampler): Telemetry {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spanExporter)],
    ...(sampler === undefined ? {} : { sampler }),
  });

  const metrics = async (): Promise<MetricData[]> => {
    metricExporter.reset();
    await reader.forceFlush();
    return metricExporter
      .getMetrics()
      .flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
  };
  const points = async (name: string): Promise<Point[]> =>
    (await metrics())
      .filter((metric) => metric.descriptor.name === name)
      .flatMap((metric) =>
        metric.dataPointType === DataPointType.HISTOGRAM
          ? metric.dataPoints.map((p) => ({
              attributes: p.attributes,
              value: p.value.count,
              sum: p.value.sum,
            }))
          : metric.dataPoints.map((p) => ({
              attributes: p.attributes,
              value: p.value as number,
              sum: undefined,
            })),
      );
  return {
    meterProvider,
    tracerProvider,
    metrics,
    points,
    async total(name, where = {}) {
      return (await points(name))
        .filter((point) => Object.entries(where).every(([key, value]) => point.attributes[key] === value))
        .reduce((sum, point) => sum + point.value, 0);
    },
    spans: () => spanExporter.getFinishedSpans(),
    async shutdown() {
      await Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()]);
    },
  };
}

/**
 * The `error.type` of a connection the sandbox reset, whichever way the reset reached the client: undici reports it
 * as `ECONNRESET`, or as "other side closed" (`UND_ERR_SOCKET`) when the TLS layer saw the close first, which
 * happens on a connection that was idle before its request. Both are the same network failure to the client.
 */
export function asReset(errorType: unknown): unknown {
  return errorType === "UND_ERR_SOCKET" ? "ECONNRESET" : errorType;
}
