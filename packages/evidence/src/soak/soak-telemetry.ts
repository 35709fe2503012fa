import { instrumentOnceKey, type OnceKeyInstrumentation } from "@oncekey/opentelemetry";
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";

/** The OpenTelemetry instrumentation over a soak, as an app would run it, with exporters that keep only counts. */
export interface SoakTelemetry {
  readonly instrumentation: OnceKeyInstrumentation;
  /** Spans exported so far. */
  readonly spans: () => number;
  /** Exports the metrics now; returns the sum of `oncekey.requests`. */
  requestsCounted(): Promise<number>;
  /** Disables the instrumentation and shuts the SDK down. */
  close(): Promise<void>;
}

/** Metrics to the in-memory exporter; every span sampled, batched, and dropped by an exporter that counts them. */
export function soakTelemetry(baseUrl: string): SoakTelemetry {
  let spans = 0;
  const exporter: SpanExporter = {
    export(batch, done) {
      spans += batch.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 60_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  // The default queue (2,048) drops spans when 64 calls at once outrun the 5 s schedule: a bigger one, as an app
  // that must keep every span would configure.
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 65_536, scheduledDelayMillis: 500 })],
  });
  const instrumentation = instrumentOnceKey({ meterProvider, tracerProvider, baseUrl });
  return {
    instrumentation,
    spans: () => spans,
    async requestsCounted() {
      metricExporter.reset();
      await reader.forceFlush();
      let total = 0;
      for (const resource of metricExporter.getMetrics())
        for (const scope of resource.scopeMetrics)
          for (const metric of scope.metrics)
            if (metric.descriptor.name === "oncekey.requests" && metric.dataPointType === DataPointType.SUM)
              for (const point of metric.dataPoints) total += point.value;
      return total;
    },
    async close() {
      instrumentation.disable();
      await tracerProvider.forceFlush();
      await Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()]);
    },
  };
}
