// What the OpenTelemetry instrumentation costs per request: the same client, against one sandbox in its own process,
// with the instrumentation off and on in alternating rounds. On: metrics into a MeterProvider whose periodic reader
// exports to the in-memory exporter, and every span sampled and handed to a BatchSpanProcessor over an exporter that
// drops them, as an app exporting elsewhere would; also a round with every span sampled out, metrics on.
import { OnceHubClient, staticKey } from "@oncekey/core";
import { instrumentOnceKey } from "@oncekey/opentelemetry";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { AlwaysOffSampler, BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { subscribe, unsubscribe } from "node:diagnostics_channel";

const OFF = "client, no instrumentation";
const ON = "client + metrics + every span sampled";
const SAMPLED_OUT = "client + metrics, spans sampled out";
const EMPTY = "client + an empty oncekey:request subscriber (core's share)";

/** A subscriber to `oncekey:request` that does nothing, with the instrumentation's enable/disable. */
function emptySubscriber() {
  const ignore = () => {};
  return {
    enable: () => subscribe("oncekey:request", ignore),
    disable: () => unsubscribe("oncekey:request", ignore),
  };
}

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function instrumentationOverhead(kit) {
  const requests = kit.intFromEnv("BENCH_REQUESTS", kit.quick ? 2_000 : 10_000);
  const concurrency = kit.intFromEnv("BENCH_CONCURRENCY", 64);
  const rounds = kit.intFromEnv("BENCH_ROUNDS", kit.quick ? 1 : 5);

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

  const sandbox = await kit.startSandboxProcess();
  const client = new OnceHubClient({
    keys: staticKey(sandbox.key),
    baseUrl: sandbox.baseUrl,
    ca: sandbox.ca,
    pacing: false,
  });
  const instrumentations = {
    [OFF]: undefined,
    [ON]: instrumentOnceKey({ meterProvider, tracerProvider, baseUrl: sandbox.baseUrl, enabled: false }),
    [SAMPLED_OUT]: instrumentOnceKey({
      meterProvider,
      tracerProvider: unsampled,
      baseUrl: sandbox.baseUrl,
      enabled: false,
    }),
    // What core spends building the events when anyone listens, whatever the listener does with them.
    [EMPTY]: emptySubscriber(),
  };

  /** Sends `total` requests, `concurrency` at a time; returns throughput and this process's CPU per request. */
  async function run(total) {
    let started = 0;
    const worker = async () => {
      while (started < total) {
        started++;
        await client.request("GET", "/test");
      }
    };
    kit.collectGarbage();
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    return { perSecond: total / seconds, cpuMicros: (cpu.user + cpu.system) / total };
  }

  let samples;
  try {
    kit.title(
      `OpenTelemetry instrumentation: ${kit.format(requests)} GET /v2/test at concurrency ${concurrency}, ` +
        `${rounds} rounds, sandbox in its own process (pid ${sandbox.pid})`,
    );
    await run(kit.quick ? 500 : 2_000);
    samples = await kit.alternate(instrumentations, {
      rounds,
      warmupRounds: 1,
      sample: async (_name, instrumentation) => {
        instrumentation?.enable();
        try {
          await run(concurrency * 4);
          return await run(requests);
        } finally {
          instrumentation?.disable();
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
  return [
    kit.row({
      name: "client CPU per request with OpenTelemetry metrics and traces on vs off",
      value: cpu(ON) / cpu(OFF),
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
      name: "of which core's share: client CPU per request with an empty oncekey:request subscriber vs none",
      value: cpu(EMPTY) / cpu(OFF),
      unit: "x",
      goal: ["<=", 1.05],
    }),
    kit.row({
      name: "of which the instrumentation's share: metrics and traces on vs an empty subscriber",
      value: cpu(ON) / cpu(EMPTY),
      unit: "x",
      goal: ["<=", 1.1],
    }),
  ];
}
