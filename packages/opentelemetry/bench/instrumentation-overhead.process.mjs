// One sample of instrumentation-overhead.bench.mjs, in a process of its own, as an app runs one configuration:
// `node --expose-gc instrumentation-overhead.process.mjs <contender>` with the sandbox's details in
// ONCEKEY_BENCH_SANDBOX (JSON) and the sample's size in ONCEKEY_BENCH_SAMPLE (JSON); prints
// `{ perSecond, cpuMicros, spans }` on standard output: the medians of the sample's batches.
import diagnostics from "node:diagnostics_channel";
import { URL } from "node:url";
import { OnceHubClient, staticKey } from "@oncekey/core";
import { CALL_CHANNEL } from "@oncekey/core/source";
import { instrumentOnceKey } from "@oncekey/opentelemetry";
import { context, createContextKey, ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { AlwaysOffSampler, BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { runConcurrently } from "../../evidence/bench/kit/run-concurrently.mjs";
import { median } from "../../evidence/bench/kit/stats.mjs";

/** What each contender turns on, before the client is made. */
const SETUPS = {
  /** Nothing: the baseline. */
  off: () => {},
  /**
   * Empty subscribers to what the instrumentation subscribes to on every call, `oncekey:request` and the
   * `oncekey:call` tracing channel: what core spends building the events and tracing the call for any subscriber.
   */
  empty: () => {
    const ignore = () => {};
    diagnostics.subscribe("oncekey:request", ignore);
    diagnostics
      .tracingChannel(CALL_CHANNEL)
      .subscribe({ start: ignore, end: ignore, asyncStart: ignore, asyncEnd: ignore, error: ignore });
  },
  /** The instrumentation, metrics on, every span sampled out. */
  sampledOut: ({ meterProvider }) =>
    instrumentOnceKey({
      meterProvider,
      tracerProvider: new BasicTracerProvider({ sampler: new AlwaysOffSampler() }),
    }),
  /** The instrumentation, metrics on, every span sampled. */
  on: ({ meterProvider, tracerProvider }) => instrumentOnceKey({ meterProvider, tracerProvider }),
  /**
   * The SDK's own work for a call and nothing else: at the call's start a CLIENT span with the attributes the
   * instrumentation starts one with, at its end the name and the attributes it ends one with, and each exchange's
   * duration recorded with the histogram's attributes. No span is made active, no event is written, no call is
   * followed through its async context: what no instrumentation recording these spans and metrics can spend less
   * than.
   */
  sdkAlone: ({ meterProvider, tracerProvider, sandbox }) => {
    const ignore = () => {};
    const tracer = tracerProvider.getTracer("sdk alone");
    const duration = meterProvider
      .getMeter("sdk alone")
      .createHistogram("sdk_alone.request.duration", { unit: "s" });
    const { hostname, port } = new URL(sandbox.url);
    const started = { "http.request.method": "GET", "server.address": hostname, "server.port": Number(port) };
    const recorded = { ...started, "http.response.status_code": 200 };
    const open = new Map();
    diagnostics.tracingChannel(CALL_CHANNEL).subscribe({
      start: (call) =>
        open.set(call, tracer.startSpan("GET", { kind: SpanKind.CLIENT, attributes: started })),
      end: ignore,
      asyncStart: ignore,
      asyncEnd: (call) => {
        const span = open.get(call);
        open.delete(call);
        span.updateName("GET /v2/test");
        span.setAttribute("url.full", call.origin + call.path);
        span.setAttribute("http.response.status_code", 200);
        span.setAttribute("oncekey.key.fingerprint", "sha256:000000000000");
        span.end();
      },
      error: ignore,
    });
    diagnostics.subscribe("oncekey:request", (event) => duration.record(event.durationMs / 1000, recorded));
  },
  /**
   * OpenTelemetry's own instrumentation of undici, which the client sends with: a CLIENT span per exchange (with
   * its trace context sent along) and the HTTP client duration histogram. What tracing these calls costs the
   * field's usual way.
   */
  undici: ({ meterProvider, tracerProvider }) => {
    // Made enabled: this version records nothing when made disabled and enabled later.
    const undici = new UndiciInstrumentation();
    undici.setTracerProvider(tracerProvider);
    undici.setMeterProvider(meterProvider);
  },
};

/** Sends the sample's requests in the configuration named `name` (`+cm`: with the SDK's context manager). */
async function sample(name, sandbox, { requests, batches, warmup, concurrency }) {
  const withContextManager = name.endsWith("+cm");
  const setup = SETUPS[name.replace(/\+cm$/, "")];
  if (setup === undefined) throw new Error(`no contender named ${name}`);
  if (withContextManager) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  let spans = 0;
  // Every span handed to a batch processor over an exporter that drops them, as an app exporting elsewhere would.
  const dropSpans = {
    export(batch, done) {
      spans += batch.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 5_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropSpans)] });
  setup({ meterProvider, tracerProvider, sandbox });
  const client = new OnceHubClient({
    keys: staticKey(sandbox.key),
    baseUrl: sandbox.baseUrl,
    ca: sandbox.ca,
    pacing: false,
  });
  // With a context manager, each worker runs inside an active context, as in a traced app, where an instrumented
  // server makes one per incoming request.
  const incoming = createContextKey("an incoming request");
  const start = withContextManager
    ? (worker) => context.with(ROOT_CONTEXT.setValue(incoming, true), worker)
    : undefined;
  const send = () => client.request("GET", "/test");
  try {
    await runConcurrently(send, { total: warmup, concurrency, start });
    // Several batches, their medians kept: one batch may take a collection of the old generation or the SDK's
    // export, or a neighbour's burst on a shared machine, that the next does not.
    const results = [];
    for (let i = 0; i < batches; i++)
      results.push(await runConcurrently(send, { total: requests, concurrency, start }));
    const result = {
      perSecond: median(results.map((r) => r.perSecond)),
      cpuMicros: median(results.map((r) => r.cpuMicros)),
    };
    // The batch processor's export and the reader's collection are part of the contender's cost.
    await tracerProvider.forceFlush();
    await reader.forceFlush();
    return { ...result, spans };
  } finally {
    await client.close();
    await Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()]);
  }
}

const result = await sample(
  process.argv[2],
  JSON.parse(process.env.ONCEKEY_BENCH_SANDBOX),
  JSON.parse(process.env.ONCEKEY_BENCH_SAMPLE),
);
process.stdout.write(JSON.stringify(result));
