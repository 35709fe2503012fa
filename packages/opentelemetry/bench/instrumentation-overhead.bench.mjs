// What the OpenTelemetry instrumentation costs per request: the same client, against one sandbox in its own process,
// with the instrumentation off and on in alternating rounds. On: metrics into a MeterProvider whose periodic reader
// exports to the in-memory exporter, and every span sampled and handed to a BatchSpanProcessor over an exporter that
// drops them, as an app exporting elsewhere would; also with every span sampled out, and with the API's no-op tracer
// (no SDK span at all). Off and on again in a process that runs the SDK's context manager
// (AsyncLocalStorageContextManager, each request made inside an active context, as in a traced app, where an
// instrumented server makes one per incoming request). And the steps in between, each a contender of its own, to
// say where the cost goes: what core does for any subscriber (build the request events, trace the call), what
// keeping a store in the call's async context costs, and what the SDK alone costs for one span and one duration
// record per call, written by hand with nothing else (no events, no active span): the floor of any instrumentation
// that records what this one must.
import diagnostics from "node:diagnostics_channel";
import { URL } from "node:url";
import { OnceHubClient, staticKey } from "@oncekey/core";
import { CALL_CHANNEL } from "@oncekey/core/source";
import { instrumentOnceKey } from "@oncekey/opentelemetry";
import { AsyncLocalStorage } from "node:async_hooks";
import { context, createContextKey, ProxyTracerProvider, ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { AlwaysOffSampler, BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

const OFF = "client, no instrumentation";
const EMPTY = "client + empty subscribers (core's share)";
const STORE = "client + empty subscribers + a store bound to the call";
const NO_SDK_SPANS = "client + metrics, the API's no-op tracer";
const SAMPLED_OUT = "client + metrics, spans sampled out";
const ON = "client + metrics + every span sampled";
const SDK_ALONE = "client + the SDK alone: one sampled span and one duration record per call, by hand";
const OFF_CM = "with the SDK's context manager: client, no instrumentation";
const ON_CM = "with the SDK's context manager: client + metrics + every span sampled";

/**
 * Empty subscribers to what the instrumentation subscribes to on every call, `oncekey:request` and the
 * `oncekey:call` tracing channel, with the instrumentation's enable/disable: what core spends building the events
 * and tracing the call for any subscriber.
 */
function emptySubscribers({ store = false } = {}) {
  const ignore = () => {};
  const calls = diagnostics.tracingChannel(CALL_CHANNEL);
  const handlers = { start: ignore, end: ignore, asyncStart: ignore, asyncEnd: ignore, error: ignore };
  // With `store`: an AsyncLocalStorage bound to the call's start, what following each call through its async
  // context costs on its own; the instrumentation keeps a store of its own only for recording spans without a
  // context manager (a context manager carries the call otherwise).
  const current = store ? new AsyncLocalStorage() : undefined;
  return {
    enable: () => {
      diagnostics.subscribe("oncekey:request", ignore);
      calls.subscribe(handlers);
      if (current !== undefined) calls.start.bindStore(current, (call) => call);
    },
    disable: () => {
      diagnostics.unsubscribe("oncekey:request", ignore);
      calls.unsubscribe(handlers);
      if (current !== undefined) {
        calls.start.unbindStore(current);
        current.disable();
      }
    },
  };
}

/**
 * The SDK's own work for a call, and nothing else: at the call's start a CLIENT span with the attributes the
 * instrumentation starts one with, at its end the name and the attributes it ends one with, and each exchange's
 * duration recorded with the histogram's attributes. No span is made active, no event is written, no call is
 * followed through its async context: what no instrumentation recording these spans and metrics can spend less than.
 */
function sdkAlone(meterProvider, tracerProvider, origin) {
  const ignore = () => {};
  const calls = diagnostics.tracingChannel(CALL_CHANNEL);
  const tracer = tracerProvider.getTracer("sdk alone");
  const duration = meterProvider
    .getMeter("sdk alone")
    .createHistogram("sdk_alone.request.duration", { unit: "s" });
  const { hostname, port } = new URL(origin);
  const server = { "server.address": hostname, "server.port": Number(port) };
  const started = { "http.request.method": "GET", ...server };
  const recorded = { ...started, "http.response.status_code": 200 };
  const open = new Map();
  const handlers = {
    start: (call) => open.set(call, tracer.startSpan("GET", { kind: SpanKind.CLIENT, attributes: started })),
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
  };
  const request = (event) => duration.record(event.durationMs / 1000, recorded);
  return {
    enable: () => {
      calls.subscribe(handlers);
      diagnostics.subscribe("oncekey:request", request);
    },
    disable: () => {
      calls.unsubscribe(handlers);
      diagnostics.unsubscribe("oncekey:request", request);
    },
  };
}

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function instrumentationOverhead(kit) {
  const requests = kit.intFromEnv("BENCH_REQUESTS", kit.quick ? 2_000 : 10_000);
  const concurrency = kit.intFromEnv("BENCH_CONCURRENCY", 64);
  const rounds = kit.intFromEnv("BENCH_ROUNDS", kit.quick ? 1 : 5);
  const warmup = kit.quick ? concurrency * 4 : 2_000;

  let exported = 0;
  const dropSpans = {
    export(spans, done) {
      exported += spans.length;
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
  const unsampled = new BasicTracerProvider({ sampler: new AlwaysOffSampler() });
  const contextManager = new AsyncLocalStorageContextManager();
  const incoming = createContextKey("an incoming request");

  const sandbox = await kit.startSandboxProcess();
  const client = new OnceHubClient({
    keys: staticKey(sandbox.key),
    baseUrl: sandbox.baseUrl,
    ca: sandbox.ca,
    pacing: false,
  });
  const instrumented = (tracer) =>
    instrumentOnceKey({ meterProvider, tracerProvider: tracer, enabled: false });
  const contenders = {
    [OFF]: { instrumentation: undefined, contextManager: false },
    [EMPTY]: { instrumentation: emptySubscribers(), contextManager: false },
    [STORE]: { instrumentation: emptySubscribers({ store: true }), contextManager: false },
    // A proxy with no SDK behind it hands out the API's no-op tracer: spans that record nothing, made for free.
    [NO_SDK_SPANS]: { instrumentation: instrumented(new ProxyTracerProvider()), contextManager: false },
    [SAMPLED_OUT]: { instrumentation: instrumented(unsampled), contextManager: false },
    [ON]: { instrumentation: instrumented(tracerProvider), contextManager: false },
    [SDK_ALONE]: {
      instrumentation: sdkAlone(meterProvider, tracerProvider, sandbox.url),
      contextManager: false,
    },
    [OFF_CM]: { instrumentation: undefined, contextManager: true },
    [ON_CM]: { instrumentation: instrumented(tracerProvider), contextManager: true },
  };

  /**
   * Sends `total` requests, `concurrency` at a time, each worker inside an active context when `inContext`;
   * returns throughput and this process's CPU per request.
   */
  async function run(total, inContext) {
    let started = 0;
    const worker = async () => {
      while (started < total) {
        started++;
        await client.request("GET", "/test");
      }
    };
    const start = inContext ? () => context.with(ROOT_CONTEXT.setValue(incoming, true), worker) : worker;
    kit.collectGarbage();
    const cpuBefore = process.cpuUsage();
    const began = process.hrtime.bigint();
    await Promise.all(Array.from({ length: concurrency }, start));
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    return { perSecond: total / seconds, cpuMicros: (cpu.user + cpu.system) / total };
  }

  let samples;
  try {
    kit.title(
      `OpenTelemetry instrumentation: ${kit.format(requests)} GET /v2/test at concurrency ${concurrency}, ` +
        `${rounds} rounds, sandbox in its own process (pid ${sandbox.pid})`,
    );
    await run(kit.quick ? 500 : 2_000, false);
    samples = await kit.alternate(contenders, {
      rounds,
      warmupRounds: 1,
      sample: async (_name, contender) => {
        if (contender.contextManager) context.setGlobalContextManager(contextManager.enable());
        contender.instrumentation?.enable();
        try {
          // A warm-up long enough for the process to settle after the contender before: after one that tracked
          // async context (a store bound to the call, a context manager), 256 requests of warm-up left the next
          // contender 10 to 15 µs/request above what it measures after 2,000.
          await run(warmup, contender.contextManager);
          return await run(requests, contender.contextManager);
        } finally {
          contender.instrumentation?.disable();
          // Unregisters the manager and stops its async context tracking.
          if (contender.contextManager) context.disable();
          // The batch processor's export and the reader's collection of this sample are its own cost.
          await tracerProvider.forceFlush();
          await reader.forceFlush();
        }
      },
      onRound: (round) => console.log(`round ${round}/${rounds} done`),
    });
  } finally {
    await client.close();
    await sandbox.stop();
    await Promise.all([meterProvider.shutdown(), tracerProvider.shutdown(), unsampled.shutdown()]);
  }

  const rate = (name) => kit.median(samples.get(name).map((r) => r.perSecond));
  const cpu = (name) => kit.median(samples.get(name).map((r) => r.cpuMicros));
  kit.table([
    ["contender", "requests/s (median)", "spread", "client CPU µs/request (median)", "spread"],
    ...[...samples].map(([name, results]) => [
      name,
      kit.format(rate(name)),
      kit.spread(results.map((r) => r.perSecond)),
      kit.format(cpu(name), 1),
      kit.spread(results.map((r) => r.cpuMicros)),
    ]),
  ]);
  console.log(`${kit.format(exported)} spans exported`);
  const step = (from, to) => kit.format(cpu(to) - cpu(from), 1);
  const sdkShare = step(EMPTY, SDK_ALONE);
  const budget = 0.15 * cpu(OFF);
  kit.table([
    ["where the CPU per request goes (differences of medians)", "µs/request"],
    ["core builds the request events and traces the call (empty subscribers vs none)", step(OFF, EMPTY)],
    [
      "a store bound to the call: async context tracking (paid by recording spans without a context manager)",
      step(EMPTY, STORE),
    ],
    ["the instrumentation with the API's no-op tracer: metrics, call bookkeeping", step(EMPTY, NO_SDK_SPANS)],
    ["the SDK's tracer, every span sampled out", step(NO_SDK_SPANS, SAMPLED_OUT)],
    [
      "every span sampled: recorded, events, attributes, batch processor, the call's store",
      step(SAMPLED_OUT, ON),
    ],
    ["in all, with the SDK's context manager in both", step(OFF_CM, ON_CM)],
    [
      "the SDK alone, one sampled span and one duration record per call, by hand (vs empty subscribers)",
      sdkShare,
    ],
    ["the goal's whole budget: 0.15 x the client's CPU per request", kit.format(budget, 1)],
  ]);
  return [
    kit.row({
      name: "client CPU per request with OpenTelemetry metrics and traces on vs off",
      value: cpu(ON) / cpu(OFF),
      unit: "x",
      goal: ["<=", 1.15],
      note:
        `the SDK alone, one sampled span and one duration record per call, by hand: +${sdkShare} µs/request, ` +
        `against a budget of ${kit.format(budget, 1)} µs/request for all of it`,
    }),
    kit.row({
      name: "client CPU per request with OpenTelemetry metrics and traces on vs off, both with the SDK's context manager",
      value: cpu(ON_CM) / cpu(OFF_CM),
      unit: "x",
      goal: ["<=", 1.15],
    }),
    kit.row({
      name: "client throughput with OpenTelemetry metrics and traces on vs off",
      value: rate(ON) / rate(OFF),
      unit: "x",
      goal: [">=", 0.9],
    }),
    kit.row({
      name: "client CPU per request with OpenTelemetry metrics on, spans sampled out, vs off",
      value: cpu(SAMPLED_OUT) / cpu(OFF),
      unit: "x",
      goal: ["<=", 1.1],
    }),
    kit.row({
      name: "of which core's share: client CPU per request with empty oncekey:request and oncekey:call subscribers vs none",
      value: cpu(EMPTY) / cpu(OFF),
      unit: "x",
      goal: ["<=", 1.05],
    }),
    kit.row({
      name: "of which the instrumentation's share: metrics and traces on vs empty subscribers",
      value: cpu(ON) / cpu(EMPTY),
      unit: "x",
      goal: ["<=", 1.1],
    }),
  ];
}
