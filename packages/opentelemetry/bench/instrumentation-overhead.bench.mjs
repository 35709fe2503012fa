// What the OpenTelemetry instrumentation costs per request: the same client, against one sandbox in its own process,
// in configurations that each run in a fresh process of their own (instrumentation-overhead.process.mjs), as an
// app runs one, in alternating rounds. On: metrics into a MeterProvider whose periodic reader exports to the
// in-memory exporter, and every span sampled and handed to a BatchSpanProcessor over an exporter that drops them, as
// an app exporting elsewhere would; also with every span sampled out. Off and on again with the SDK's context
// manager (AsyncLocalStorageContextManager, each request made inside an active context, as in a traced app).
// Beside them, to say where the cost goes and what it compares with: what core does for any subscriber (empty
// subscribers), the SDK alone (one sampled span and one duration record per call, by hand, nothing else: the floor
// of any instrumentation that records what this one must), and OpenTelemetry's own undici instrumentation (a span
// per exchange and the duration histogram: how the field traces these HTTP calls).
import { execFile } from "node:child_process";
import { fileURLToPath, URL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const PROCESS = fileURLToPath(new URL("./instrumentation-overhead.process.mjs", import.meta.url));

/** Contender names as the table shows them, by the name the sample process knows them by. */
const CONTENDERS = {
  off: "client, no instrumentation",
  empty: "client + empty subscribers (core's share)",
  sdkAlone: "client + the SDK alone: one sampled span and one duration record per call, by hand",
  undici: "client + OpenTelemetry's undici instrumentation (metrics, every exchange's span sampled)",
  sampledOut: "client + oncekey's instrumentation: metrics, spans sampled out",
  on: "client + oncekey's instrumentation: metrics, every span sampled",
  "off+cm": "with the SDK's context manager: client, no instrumentation",
  "sdkAlone+cm": "with the SDK's context manager: the SDK alone, by hand",
  "undici+cm": "with the SDK's context manager: OpenTelemetry's undici instrumentation",
  "on+cm": "with the SDK's context manager: oncekey's instrumentation, every span sampled",
};

/** @param {import("../../evidence/bench/kit/index.mjs").kit} kit */
export default async function instrumentationOverhead(kit) {
  const requests = kit.intFromEnv("BENCH_REQUESTS", kit.quick ? 2_000 : 10_000);
  const batches = kit.quick ? 1 : 3;
  const concurrency = kit.intFromEnv("BENCH_CONCURRENCY", 64);
  const rounds = kit.intFromEnv("BENCH_ROUNDS", kit.quick ? 1 : 7);
  const warmup = kit.quick ? 500 : 3_000;

  const sandbox = await kit.startSandboxProcess();
  const env = {
    ...process.env,
    ONCEKEY_BENCH_SANDBOX: JSON.stringify({
      url: sandbox.url,
      baseUrl: sandbox.baseUrl,
      key: sandbox.key,
      ca: sandbox.ca,
    }),
    ONCEKEY_BENCH_SAMPLE: JSON.stringify({ requests, batches, warmup, concurrency }),
  };
  let samples;
  try {
    kit.title(
      `OpenTelemetry instrumentation: ${batches} x ${kit.format(requests)} GET /v2/test at concurrency ${concurrency} ` +
        `after ${kit.format(warmup)} of warm-up (the median batch kept), each configuration in a process of its own, ${rounds} rounds, ` +
        `sandbox in its own process (pid ${sandbox.pid})`,
    );
    samples = await kit.alternate(CONTENDERS, {
      rounds,
      sample: async (name) => {
        const { stdout } = await run(process.execPath, ["--expose-gc", PROCESS, name], {
          env,
          maxBuffer: 1 << 20,
        });
        const result = JSON.parse(stdout);
        const spansExpected = /^(on|sdkAlone|undici)/.test(name);
        if (spansExpected && result.spans < requests)
          throw new Error(
            `${name} exported ${result.spans} spans for ${requests} requests: it traced nothing`,
          );
        return result;
      },
      onRound: (round) => console.log(`round ${round}/${rounds} done`),
    });
  } finally {
    await sandbox.stop();
  }

  const rate = (name) => kit.median(samples.get(name).map((r) => r.perSecond));
  const cpu = (name) => kit.median(samples.get(name).map((r) => r.cpuMicros));
  kit.table([
    ["contender", "requests/s (median)", "spread", "client CPU µs/request (median)", "spread"],
    ...[...samples].map(([name, results]) => [
      CONTENDERS[name],
      kit.format(rate(name)),
      kit.spread(results.map((r) => r.perSecond)),
      kit.format(cpu(name), 1),
      kit.spread(results.map((r) => r.cpuMicros)),
    ]),
  ]);
  const step = (from, to) => kit.format(cpu(to) - cpu(from), 1);
  const budget = 0.15 * cpu("off");
  kit.table([
    ["where the CPU per request goes (differences of medians)", "µs/request"],
    ["core builds the request events and traces the call (empty subscribers vs none)", step("off", "empty")],
    [
      "the SDK alone, one sampled span and one duration record per call, by hand (vs none)",
      step("off", "sdkAlone"),
    ],
    ["OpenTelemetry's undici instrumentation (vs none)", step("off", "undici")],
    ["oncekey's instrumentation, spans sampled out (vs none)", step("off", "sampledOut")],
    ["oncekey's instrumentation, every span sampled (vs none)", step("off", "on")],
    ["oncekey's instrumentation over the SDK alone", step("sdkAlone", "on")],
    ["with the context manager: oncekey's instrumentation over the SDK alone", step("sdkAlone+cm", "on+cm")],
    ["the 1.15x goal's whole budget: 0.15 x the client's CPU per request", kit.format(budget, 1)],
  ]);
  const floor = `the SDK alone costs ${kit.format(cpu("sdkAlone") / cpu("off"), 2)}x and OpenTelemetry's undici instrumentation ${kit.format(cpu("undici") / cpu("off"), 2)}x`;
  return [
    kit.row({
      name: "client CPU per request with OpenTelemetry metrics and traces on vs off",
      value: cpu("on") / cpu("off"),
      unit: "x",
      goal: ["<=", 1.15],
      note:
        cpu("sdkAlone") / cpu("off") > 1.15
          ? `${floor}, in the same run: no instrumentation recording a sampled span per call through the SDK meets this goal on this machine`
          : `${floor}, in the same run`,
    }),
    kit.row({
      name: "client CPU per request with OpenTelemetry metrics and traces on vs off, both with the SDK's context manager",
      value: cpu("on+cm") / cpu("off+cm"),
      unit: "x",
      goal: ["<=", 1.15],
      note: `with the context manager: the SDK alone ${kit.format(cpu("sdkAlone+cm") / cpu("off+cm"), 2)}x, OpenTelemetry's undici instrumentation ${kit.format(cpu("undici+cm") / cpu("off+cm"), 2)}x`,
    }),
    kit.row({
      name: "client throughput with OpenTelemetry metrics and traces on vs off",
      value: rate("on") / rate("off"),
      unit: "x",
      goal: [">=", 0.9],
    }),
    kit.row({
      name: "client CPU per request with OpenTelemetry metrics and traces on vs the SDK alone (one sampled span and one duration record per call, by hand)",
      value: cpu("on") / cpu("sdkAlone"),
      unit: "x",
      goal: ["<=", 1.15],
      note: "the 1.15x applied to what the instrumentation adds to the SDK's own floor",
    }),
    kit.row({
      name: "client CPU per request with OpenTelemetry metrics and traces on vs the SDK alone, both with the SDK's context manager",
      value: cpu("on+cm") / cpu("sdkAlone+cm"),
      unit: "x",
      goal: ["<=", 1.15],
    }),
    kit.row({
      name: "client CPU per request with oncekey's instrumentation vs with OpenTelemetry's undici instrumentation, metrics and every span sampled in both",
      value: cpu("on") / cpu("undici"),
      unit: "x",
      goal: ["<=", 1.15],
    }),
    kit.row({
      name: "client CPU per request with OpenTelemetry metrics on, spans sampled out, vs off",
      value: cpu("sampledOut") / cpu("off"),
      unit: "x",
      goal: ["<=", 1.1],
    }),
    kit.row({
      name: "of which core's share: client CPU per request with empty oncekey:request and oncekey:call subscribers vs none",
      value: cpu("empty") / cpu("off"),
      unit: "x",
      goal: ["<=", 1.05],
    }),
  ];
}
