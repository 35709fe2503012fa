import diagnostics from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "@jest/globals";
import { eventChannelName, type OnceKeyEvent, OnceHubClient } from "@oncekey/core";
import { CALL_CHANNEL } from "@oncekey/core/source";
import { sandboxTransportOptions, useSandbox } from "@oncekey/test-support";
import { metrics, trace } from "@opentelemetry/api";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { instrumentOnceKey, OnceKeyInstrumentation } from "../src/index.js";
import { rotatingKeys } from "./rotating-keys.js";
import { inMemoryTelemetry } from "./telemetry.js";

const sandbox = useSandbox();
const TYPES: OnceKeyEvent["type"][] = [
  "request",
  "retry",
  "paced",
  "key:loaded",
  "key:rotated",
  "key:rejected",
  "key:stale",
  "key:warning",
];
const calls = diagnostics.tracingChannel(CALL_CHANNEL);
/** The channels anyone listens to: each event type's, and `call` for the tracing channel of API calls. */
const subscribed = () => [
  ...TYPES.filter((type) => diagnostics.hasSubscribers(eventChannelName(type))),
  ...(calls.hasSubscribers ? ["call"] : []),
];
const ALL = [...TYPES, "call"];

/** One call through a fresh client. */
async function oneCall(): Promise<void> {
  const client = new OnceHubClient({
    keys: rotatingKeys(sandbox().key).provider,
    ...sandboxTransportOptions(sandbox()),
  });
  await client.test().finally(() => client.close());
}

afterEach(() => {
  metrics.disable();
  trace.disable();
});

describe(OnceKeyInstrumentation.name, () => {
  it("subscribes to oncekey's channels only while enabled, so core builds no event and traces no call otherwise", () => {
    expect(subscribed()).toEqual([]);
    const instrumentation = instrumentOnceKey();
    expect(instrumentation.enabled).toBe(true);
    expect(subscribed()).toEqual(ALL);
    instrumentation.disable();
    expect(subscribed()).toEqual([]);
    instrumentation.enable();
    instrumentation.enable();
    expect(subscribed()).toEqual(ALL);
    instrumentation.disable();
    instrumentation.disable();
    expect(subscribed()).toEqual([]);
  });

  it("waits for enable() when created with enabled: false", () => {
    const instrumentation = instrumentOnceKey({ enabled: false });
    expect(instrumentation.enabled).toBe(false);
    expect(subscribed()).toEqual([]);
    expect(instrumentation.getConfig()).toMatchObject({ enabled: false });
  });

  it("records on the global providers when given none", async () => {
    const telemetry = inMemoryTelemetry();
    metrics.setGlobalMeterProvider(telemetry.meterProvider);
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    const instrumentation = instrumentOnceKey();
    await oneCall().finally(() => instrumentation.disable());
    expect(await telemetry.total("oncekey.requests")).toBe(1);
    expect(telemetry.spans()).toHaveLength(1);
    await telemetry.shutdown();
  });

  it("fits registerInstrumentations, which hands it the SDK's providers and enables it", async () => {
    const telemetry = inMemoryTelemetry();
    const instrumentation = instrumentOnceKey({ enabled: false });
    const unregister = registerInstrumentations({
      instrumentations: [instrumentation],
      meterProvider: telemetry.meterProvider,
      tracerProvider: telemetry.tracerProvider,
    });
    expect(instrumentation.enabled).toBe(true);
    await oneCall().finally(unregister);
    expect(instrumentation.enabled).toBe(false);
    expect(await telemetry.total("http.client.request.duration")).toBe(1);
    expect(telemetry.spans().map((span) => span.instrumentationScope)).toEqual([
      {
        name: "@oncekey/opentelemetry",
        version: instrumentation.instrumentationVersion,
        schemaUrl: undefined,
      },
    ]);
    await telemetry.shutdown();
  });

  it("takes new options with setConfig and reports them with getConfig", async () => {
    const telemetry = inMemoryTelemetry();
    const instrumentation = instrumentOnceKey({
      meterProvider: telemetry.meterProvider,
      tracerProvider: telemetry.tracerProvider,
    });
    // Only the base URL's path is read (for span names): the server comes from each call.
    instrumentation.setConfig({ baseUrl: "https://oncehub.example/v2", tenantAttribute: "app.tenant" });
    expect(instrumentation.getConfig()).toEqual({
      meterProvider: telemetry.meterProvider,
      tracerProvider: telemetry.tracerProvider,
      tenantAttribute: "app.tenant",
      fingerprintAttribute: true,
      baseUrl: "https://oncehub.example/v2",
      enabled: true,
    });
    await oneCall().finally(() => instrumentation.disable());
    expect(telemetry.spans()[0]?.attributes).toMatchObject({
      "server.address": "127.0.0.1",
      "server.port": Number(new URL(sandbox().url).port),
      "url.full": `${sandbox().url}/v2/test`,
    });
    expect(telemetry.spans()[0]?.name).toBe("GET /v2/test");
    await telemetry.shutdown();
  });
});
