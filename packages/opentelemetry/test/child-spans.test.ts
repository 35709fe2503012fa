import { describe, expect, it } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { sandboxTransportOptions, useSandbox } from "@oncekey/test-support";
import { trace } from "@opentelemetry/api";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { instrumentOnceKey } from "../src/index.js";
import { rotatingKeys } from "./rotating-keys.js";
import { inMemoryTelemetry } from "./telemetry.js";
import { useContextManager } from "./use-context-manager.js";

const sandbox = useSandbox();

describe("spans made inside a call", () => {
  describe("with a context manager and OpenTelemetry's undici instrumentation", () => {
    useContextManager();

    it("has each exchange's undici span as a child of the call's span, which is a child of the app's", async () => {
      const telemetry = inMemoryTelemetry();
      // Enabled at once (this version of it records nothing when created disabled and enabled later).
      const undici = new UndiciInstrumentation();
      const unregister = registerInstrumentations({
        instrumentations: [undici, instrumentOnceKey({ enabled: false })],
        tracerProvider: telemetry.tracerProvider,
        meterProvider: telemetry.meterProvider,
      });
      const client = new OnceHubClient({
        keys: rotatingKeys(sandbox().key).provider,
        ...sandboxTransportOptions(sandbox()),
      });
      sandbox().faults.inject({ kind: "status", status: 503, times: 1 });
      try {
        await telemetry.tracerProvider.getTracer("app").startActiveSpan("handle request", async (span) => {
          await client.test();
          span.end();
        });
      } finally {
        await client.close();
        unregister();
      }
      const spans = telemetry.spans();
      const byScope = (name: string) => spans.filter((span) => span.instrumentationScope.name.endsWith(name));
      const [app] = byScope("app");
      const [call, ...otherCalls] = byScope("@oncekey/opentelemetry");
      const exchanges = byScope("instrumentation-undici");
      expect(otherCalls).toEqual([]);
      const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;
      expect(parentOf(call)).toBe(app?.spanContext().spanId);
      expect(
        exchanges.map((span) => [span.name, span.attributes["http.response.status_code"], parentOf(span)]),
      ).toEqual([
        ["GET", 503, call?.spanContext().spanId],
        ["GET", 200, call?.spanContext().spanId],
      ]);
      expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
      expect(trace.getActiveSpan()).toBeUndefined();
      await telemetry.shutdown();
    });
  });

  describe("without a context manager", () => {
    it("still puts each call's events on its own span, and sets no active span", async () => {
      const telemetry = inMemoryTelemetry();
      const instrumentation = instrumentOnceKey({
        meterProvider: telemetry.meterProvider,
        tracerProvider: telemetry.tracerProvider,
      });
      const client = new OnceHubClient({
        keys: rotatingKeys(sandbox().key).provider,
        ...sandboxTransportOptions(sandbox()),
      });
      try {
        await client.test();
        sandbox().faults.inject({ kind: "status", status: 503, times: 2 });
        await Promise.all([client.test(), client.test(), client.test()]);
      } finally {
        await client.close();
        instrumentation.disable();
      }
      const spans = telemetry.spans();
      expect(spans).toHaveLength(4);
      expect(spans.every((span) => span.parentSpanContext === undefined)).toBe(true);
      expect(spans.flatMap((span) => span.events.map((event) => event.name)).sort()).toEqual([
        "oncekey.key.loaded",
        "oncekey.retry",
        "oncekey.retry",
      ]);
      expect(
        spans.map((span) => span.events.filter((event) => event.name === "oncekey.retry").length).sort(),
      ).toEqual(spans.map((span) => (span.attributes["http.request.resend_count"] as number) ?? 0).sort());
      await telemetry.shutdown();
    });
  });
});
