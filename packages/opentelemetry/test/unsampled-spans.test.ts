import { describe, expect, it } from "@jest/globals";
import { ApiKey, cached, type KeyProvider, OnceHubClient } from "@oncekey/core";
import { sandboxTransportOptions, useSandbox } from "@oncekey/test-support";
import {
  ProxyTracerProvider,
  type SpanContext,
  trace,
  TraceFlags,
  type TracerProvider,
} from "@opentelemetry/api";
import { AlwaysOffSampler, ParentBasedSampler } from "@opentelemetry/sdk-trace-base";
import { instrumentOnceKey } from "../src/index.js";
import { inMemoryTelemetry } from "./telemetry.js";
import { useContextManager } from "./use-context-manager.js";

const sandbox = useSandbox();
useContextManager();

/**
 * Makes one call inside a recording span of the app, with the call's spans on `tracerProvider`; returns the app's
 * span context and the span context active where the call read its key.
 */
async function activeInCall(
  tracerProvider: TracerProvider,
): Promise<{ app: SpanContext; inCall: SpanContext }> {
  const telemetry = inMemoryTelemetry();
  const instrumentation = instrumentOnceKey({ meterProvider: telemetry.meterProvider, tracerProvider });
  let inCall: SpanContext | undefined;
  const watching: KeyProvider = {
    name: "watching",
    getKey: () => {
      inCall = trace.getActiveSpan()?.spanContext();
      return Promise.resolve(ApiKey.from(sandbox().key, { source: "watching" }));
    },
  };
  const client = new OnceHubClient({ keys: cached(watching), ...sandboxTransportOptions(sandbox()) });
  try {
    const app = await telemetry.tracerProvider.getTracer("app").startActiveSpan("handle", async (span) => {
      await client.test();
      span.end();
      return span.spanContext();
    });
    return { app, inCall: inCall as SpanContext };
  } finally {
    await client.close();
    instrumentation.disable();
    await telemetry.shutdown();
  }
}

describe("a call whose span does not record, with a context manager", () => {
  it("has its sampled-out span active inside it, so what it starts carries the trace as not sampled", async () => {
    const telemetry = inMemoryTelemetry(
      new ParentBasedSampler({ root: new AlwaysOffSampler(), localParentSampled: new AlwaysOffSampler() }),
    );
    const { app, inCall } = await activeInCall(telemetry.tracerProvider);
    await telemetry.shutdown();
    expect(inCall.traceId).toBe(app.traceId);
    expect(inCall.spanId).not.toBe(app.spanId);
    expect(inCall.traceFlags & TraceFlags.SAMPLED).toBe(0);
  });

  it("leaves the caller's span active under the API's no-op tracer, which has no span of its own", async () => {
    const { app, inCall } = await activeInCall(new ProxyTracerProvider());
    expect(inCall).toEqual(app);
  });
});
