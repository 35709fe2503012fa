import { describe, expect, it } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { eventually, rejectionOf, sandboxTransportOptions, settled, useSandbox } from "@oncekey/test-support";
import { SpanStatusCode } from "@opentelemetry/api";
import { instrumentOnceKey } from "../src/index.js";
import { rotatingKeys } from "./rotating-keys.js";
import { inMemoryTelemetry } from "./telemetry.js";

const sandbox = useSandbox();

describe("call spans", () => {
  describe("when 300 calls run at once and some exchanges fail and are retried", () => {
    it("writes exactly one span per call, and their exchanges add up to what usage() counts", async () => {
      const telemetry = inMemoryTelemetry();
      const instrumentation = instrumentOnceKey({
        meterProvider: telemetry.meterProvider,
        tracerProvider: telemetry.tracerProvider,
        baseUrl: sandbox().baseUrl,
      });
      const client = new OnceHubClient({
        keys: rotatingKeys(sandbox().key).provider,
        ...sandboxTransportOptions(sandbox()),
        retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
      });
      sandbox().faults.inject({ kind: "status", status: 503, fraction: 0.1 });
      sandbox().faults.inject({ kind: "status", status: 429, fraction: 0.05 });
      let requests = 0;
      try {
        const calls = Array.from({ length: 300 }, (_, i) =>
          settled(i % 3 === 0 ? client.bookings.get(`BKNG-${i}`) : client.test()),
        );
        await Promise.all(calls);
        requests = client.usage()[0]?.requests ?? 0;
      } finally {
        sandbox().faults.clear();
        await client.close();
        instrumentation.disable();
      }
      const spans = telemetry.spans();
      expect(spans).toHaveLength(300);
      expect(requests).toBeGreaterThan(300);
      const exchanges = spans.reduce(
        (sum, span) => sum + 1 + ((span.attributes["http.request.resend_count"] as number | undefined) ?? 0),
        0,
      );
      expect(exchanges).toBe(requests);
      for (const span of spans) {
        const resends = (span.attributes["http.request.resend_count"] as number | undefined) ?? 0;
        expect(span.events.filter((event) => event.name === "oncekey.retry")).toHaveLength(resends);
      }
      expect(spans.filter((span) => span.name === "GET /v2/bookings/{id}")).toHaveLength(100);
      await telemetry.shutdown();
    });
  });

  describe("when a call fails for good", () => {
    it("writes its span once nothing followed its last exchange, while still enabled", async () => {
      const telemetry = inMemoryTelemetry();
      const instrumentation = instrumentOnceKey({
        meterProvider: telemetry.meterProvider,
        tracerProvider: telemetry.tracerProvider,
        baseUrl: sandbox().baseUrl,
      });
      const client = new OnceHubClient({
        keys: rotatingKeys(sandbox().key).provider,
        ...sandboxTransportOptions(sandbox()),
      });
      try {
        await rejectionOf(client.bookings.get("BKNG-none"));
        const [span] = await eventually(
          () => (telemetry.spans().length > 0 ? telemetry.spans() : undefined),
          {
            what: "the failed call's span",
          },
        );
        expect(span?.attributes).toMatchObject({ "http.response.status_code": 404, "error.type": "404" });
        expect(span?.events).toEqual([]);
      } finally {
        await client.close();
        instrumentation.disable();
      }
      expect(telemetry.spans()).toHaveLength(1);
      await telemetry.shutdown();
    });
  });

  describe("when a call is abandoned between two exchanges", () => {
    it("writes its span as it stands when the instrumentation is disabled", async () => {
      const telemetry = inMemoryTelemetry();
      const instrumentation = instrumentOnceKey({
        meterProvider: telemetry.meterProvider,
        tracerProvider: telemetry.tracerProvider,
        baseUrl: sandbox().baseUrl,
      });
      const controller = new AbortController();
      const client = new OnceHubClient({
        keys: rotatingKeys(sandbox().key).provider,
        ...sandboxTransportOptions(sandbox()),
        // The 503 arrived and the call is about to wait 20 s for its retry: abort it there.
        onEvent: (event) => {
          if (event.type === "retry") controller.abort();
        },
      });
      sandbox().faults.inject({ kind: "status", status: 503, times: 1, retryAfter: 20 });
      try {
        await rejectionOf(client.test({ signal: controller.signal }));
        expect(telemetry.spans()).toHaveLength(0);
      } finally {
        await client.close();
        instrumentation.disable();
      }
      const [span, ...others] = telemetry.spans();
      expect(others).toEqual([]);
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
      expect(span?.attributes).toMatchObject({ "http.response.status_code": 503, "error.type": "503" });
      expect(span?.events.map((event) => [event.name, event.attributes?.["oncekey.retry.delay_ms"]])).toEqual(
        [["oncekey.retry", 20_000]],
      );
      await telemetry.shutdown();
    });
  });
});
