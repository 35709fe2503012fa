import diagnostics from "node:diagnostics_channel";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "@jest/globals";
import { ApiKey, cached, type KeyProvider, OnceHubClient } from "@oncekey/core";
import { CALL_CHANNEL, type CallTrace } from "@oncekey/core/source";
import { fromEnv } from "@oncekey/env";
import { rejectionOf, sandboxTransportOptions, settled, useSandbox } from "@oncekey/test-support";
import { context, type HrTime, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { instrumentOnceKey, type InstrumentOnceKeyOptions } from "../src/index.js";
import { rotatingKeys } from "./rotating-keys.js";
import { asReset, inMemoryTelemetry, type Telemetry } from "./telemetry.js";
import { useContextManager } from "./use-context-manager.js";

const sandbox = useSandbox();
const contextManager = useContextManager();
const SCOPE = "@oncekey/opentelemetry";

const ms = (time: HrTime): number => time[0] * 1e3 + time[1] / 1e6;
const ours = (telemetry: Telemetry): ReadableSpan[] =>
  telemetry.spans().filter((span) => span.instrumentationScope.name === SCOPE);

/** An instrumentation exporting to a fresh in-memory SDK. */
function instrumented(options: InstrumentOnceKeyOptions = {}) {
  const telemetry = inMemoryTelemetry();
  const instrumentation = instrumentOnceKey({
    meterProvider: telemetry.meterProvider,
    tracerProvider: telemetry.tracerProvider,
    ...options,
  });
  return { telemetry, instrumentation, app: telemetry.tracerProvider.getTracer("app") };
}

/** A client whose failed exchanges are sent again at once, up to three times. */
const retryingClient = (): OnceHubClient =>
  new OnceHubClient({
    keys: rotatingKeys(sandbox().key).provider,
    ...sandboxTransportOptions(sandbox()),
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
  });

/** Empties the sandbox's log and fails about one exchange in four: 15 % 503s, 5 % 429s, 5 % resets. */
function failOneExchangeInFour(): void {
  sandbox().requests.clear();
  sandbox().faults.inject({ kind: "status", status: 503, fraction: 0.15 });
  sandbox().faults.inject({ kind: "status", status: 429, fraction: 0.05 });
  sandbox().faults.inject({ kind: "reset", fraction: 0.05 });
}

/** The retry events of a call whose exchanges the sandbox logged with `statuses` (`null`: reset). */
const retriesOf = (statuses: (number | null)[]): [string, string][] =>
  statuses.slice(0, -1).map((status) => ["oncekey.retry", status === null ? "ECONNRESET" : String(status)]);

describe("call spans", () => {
  describe("when 200 identical calls from one tenant run at once, and their exchanges fail and are retried", () => {
    it("gives each call's span exactly its own exchanges, as the server saw them", async () => {
      const { telemetry, instrumentation, app } = instrumented({ enabled: false });
      const client = retryingClient();
      const acme = client.forTenant("acme");
      const calls = 200;
      try {
        await acme.test(); // the key is read before the run: its spans hold only their exchanges
        instrumentation.enable();
        failOneExchangeInFour();
        // Same tenant, method and path for all: only the query, which spans leave out, tells the server which
        // call an exchange belongs to; the app's own span around each call tells its span.
        await Promise.all(
          Array.from({ length: calls }, (_, i) =>
            app.startActiveSpan(`call ${i}`, (span) =>
              settled(acme.request("GET", "/test", { query: { call: String(i) } })).finally(() => span.end()),
            ),
          ),
        );
      } finally {
        sandbox().faults.clear();
        await client.close();
        instrumentation.disable();
      }

      const appSpans = new Map(
        telemetry
          .spans()
          .filter((span) => span.instrumentationScope.name === "app")
          .map((span) => [span.spanContext().spanId, span.name]),
      );
      const spans = ours(telemetry);
      expect(spans).toHaveLength(calls);
      const log = sandbox().requests.all();
      let retried = 0;
      for (const span of spans) {
        const call = appSpans.get(span.parentSpanContext?.spanId ?? "")?.replace("call ", "");
        expect(call).toBeDefined();
        // What the server saw of this call, in order: a status, or null for a reset connection.
        const statuses = log.filter((entry) => entry.query.call === call).map((entry) => entry.status);
        const last = statuses[statuses.length - 1];
        const failed = last !== 200;
        expect({
          call,
          name: span.name,
          retries: span.events.map((event) => [event.name, asReset(event.attributes?.["error.type"])]),
          resends: span.attributes["http.request.resend_count"],
          status: span.attributes["http.response.status_code"],
          failed: span.status.code === SpanStatusCode.ERROR,
          errorType: span.attributes["error.type"] !== undefined,
        }).toEqual({
          call,
          name: "GET /v2/test",
          retries: retriesOf(statuses),
          resends: statuses.length > 1 ? statuses.length - 1 : undefined,
          status: last ?? undefined,
          failed,
          errorType: failed,
        });
        if (statuses.length > 1) retried++;
      }
      expect(retried).toBeGreaterThan(10);
      expect(log.length).toBe(
        spans.reduce(
          (sum, span) => sum + 1 + ((span.attributes["http.request.resend_count"] as number) ?? 0),
          0,
        ),
      );
      await telemetry.shutdown();
    });
  });

  describe("when 200 tenants' calls run at once without a context manager, and their exchanges fail and are retried", () => {
    it("gives each call's span exactly its own key read and exchanges, found by the call's id alone", async () => {
      context.disable(); // the file's context manager: back in `finally`
      const { telemetry, instrumentation } = instrumented({ enabled: false, tenantAttribute: true });
      const client = retryingClient();
      const calls = 200;
      try {
        instrumentation.enable();
        failOneExchangeInFour();
        await Promise.all(
          Array.from({ length: calls }, (_, i) =>
            settled(client.forTenant(`t${i}`).request("GET", "/test", { query: { call: String(i) } })),
          ),
        );
      } finally {
        sandbox().faults.clear();
        await client.close();
        instrumentation.disable();
        context.setGlobalContextManager(contextManager.enable());
      }

      const spans = ours(telemetry);
      expect(spans).toHaveLength(calls);
      const log = sandbox().requests.all();
      let retried = 0;
      for (const span of spans) {
        const call = String(span.attributes["oncekey.tenant"]).slice(1);
        const statuses = log.filter((entry) => entry.query.call === call).map((entry) => entry.status);
        expect({
          call,
          events: span.events.map((event) => [event.name, asReset(event.attributes?.["error.type"])]),
          resends: span.attributes["http.request.resend_count"],
          status: span.attributes["http.response.status_code"],
        }).toEqual({
          call,
          events: [
            // Each tenant's key is read by its first call: this one.
            ["oncekey.key.loaded", undefined],
            ...retriesOf(statuses),
          ],
          resends: statuses.length > 1 ? statuses.length - 1 : undefined,
          status: statuses[statuses.length - 1] ?? undefined,
        });
        if (statuses.length > 1) retried++;
      }
      expect(retried).toBeGreaterThan(10);
      await telemetry.shutdown();
    });
  });

  describe("when a call fails before any exchange", () => {
    it("still gets its span, named by its method alone, with the error's code", async () => {
      const variable = "ONCEKEY_OTEL_TEST_KEY_{tenant}";
      delete process.env.ONCEKEY_OTEL_TEST_KEY_NOKEY;
      const { telemetry, instrumentation } = instrumented({ tenantAttribute: true });
      const client = new OnceHubClient({
        keys: fromEnv({ variable }),
        ...sandboxTransportOptions(sandbox()),
      });
      let error: unknown;
      try {
        error = await rejectionOf(client.forTenant("nokey").bookings.get("BKNG-1"));
      } finally {
        await client.close();
        instrumentation.disable();
      }
      expect(error).toMatchObject({ code: "KEY_NOT_FOUND" });
      const [span, ...others] = ours(telemetry);
      expect(others).toEqual([]);
      expect(span?.name).toBe("GET");
      expect(span?.kind).toBe(SpanKind.CLIENT);
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
      expect(span?.attributes).toEqual({
        "http.request.method": "GET",
        "server.address": "127.0.0.1",
        "server.port": Number(new URL(sandbox().url).port),
        "oncekey.tenant": "nokey",
        "error.type": "KEY_NOT_FOUND",
      });
      expect(span?.events).toEqual([]);
      expect(await telemetry.points("http.client.request.duration")).toEqual([]);
      await telemetry.shutdown();
    });
  });

  describe("when the key is read inside a call", () => {
    it("spans the read: it starts before the read, and the source's own spans are its children", async () => {
      const { telemetry, instrumentation, app } = instrumented();
      const source = telemetry.tracerProvider.getTracer("key source");
      // A source that takes a while, and traces itself as an instrumented vault or file client would.
      const slow: KeyProvider = {
        name: "slow",
        getKey: () =>
          source.startActiveSpan("read the key", async (span: Span) => {
            await sleep(30);
            span.end();
            return ApiKey.from(sandbox().key, { source: "slow" });
          }),
      };
      const client = new OnceHubClient({ keys: cached(slow), ...sandboxTransportOptions(sandbox()) });
      try {
        await app.startActiveSpan("handle request", async (parent) => {
          const call = client.test();
          // The call's span is active inside the call only, never in its caller.
          expect(trace.getActiveSpan()).toBe(parent);
          await call;
          expect(trace.getActiveSpan()).toBe(parent);
          parent.end();
        });
      } finally {
        await client.close();
        instrumentation.disable();
      }
      const [span] = ours(telemetry);
      const read = telemetry.spans().find((s) => s.name === "read the key") as ReadableSpan;
      expect(read.parentSpanContext?.spanId).toBe(span?.spanContext().spanId);
      const [loaded] = span?.events ?? [];
      expect(loaded?.name).toBe("oncekey.key.loaded");
      const readStart = ms(loaded?.time as HrTime) - (loaded?.attributes?.["oncekey.duration_ms"] as number);
      // Ordering, not timing: the span holds the whole read (core times the read in whole milliseconds).
      expect(readStart).toBeGreaterThanOrEqual(ms((span as ReadableSpan).startTime) - 1);
      expect(ms(read.startTime)).toBeGreaterThanOrEqual(ms((span as ReadableSpan).startTime));
      expect(ms((span as ReadableSpan).endTime)).toBeGreaterThanOrEqual(ms(read.endTime));
      expect(trace.getActiveSpan()).toBeUndefined();
      await telemetry.shutdown();
    });
  });

  describe("when a call is aborted while it waits for a retry", () => {
    it("ends its span when the call ends, with the abort as error.type", async () => {
      const { telemetry, instrumentation } = instrumented();
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
        const [span, ...others] = ours(telemetry);
        expect(others).toEqual([]);
        expect(span?.status.code).toBe(SpanStatusCode.ERROR);
        expect(span?.attributes).toMatchObject({
          "http.response.status_code": 503,
          "error.type": "AbortError",
        });
        expect(
          span?.events.map((event) => [event.name, event.attributes?.["oncekey.retry.delay_ms"]]),
        ).toEqual([
          ["oncekey.key.loaded", undefined],
          ["oncekey.retry", 20_000],
        ]);
      } finally {
        await client.close();
        instrumentation.disable();
      }
      await telemetry.shutdown();
    });
  });

  describe("when the instrumentation is disabled while a call is in progress", () => {
    it("ends that call's span as it stands, once, and traces the calls after enable() again", async () => {
      const { telemetry, instrumentation } = instrumented();
      const client = new OnceHubClient({
        keys: rotatingKeys(sandbox().key).provider,
        ...sandboxTransportOptions(sandbox()),
        // The key was read and the exchange is next: disable there.
        onEvent: (event) => {
          if (event.type === "key:loaded") instrumentation.disable();
        },
      });
      try {
        await client.test();
        expect(instrumentation.enabled).toBe(false);
        const [cut, ...others] = ours(telemetry);
        expect(others).toEqual([]);
        expect(cut?.attributes["http.response.status_code"]).toBeUndefined();
        expect(cut?.events.map((event) => event.name)).toEqual(["oncekey.key.loaded"]);
        instrumentation.enable();
        await client.test();
      } finally {
        await client.close();
        instrumentation.disable();
      }
      expect(
        ours(telemetry).map((span) => [span.name, span.attributes["http.response.status_code"]]),
      ).toEqual([
        ["GET", undefined],
        ["GET /v2/test", 200],
      ]);
      await telemetry.shutdown();
    });
  });

  describe("when a traced call throws before it returns a promise", () => {
    it("ends its span at the channel's end, with the error", () => {
      // Core's calls return a promise; the channel's contract allows a synchronous throw, so it is handled.
      const { telemetry, instrumentation } = instrumented();
      const call: CallTrace = {
        id: -1, // no call of a client has it: they count from 1
        method: "DELETE",
        path: "/v2/webhooks/W-1",
        origin: "https://api.oncehub.com",
      };
      try {
        expect(() =>
          diagnostics.tracingChannel<unknown, CallTrace>(CALL_CHANNEL).tracePromise(() => {
            throw new TypeError("refused at once");
          }, call),
        ).toThrow(TypeError);
      } finally {
        instrumentation.disable();
      }
      expect(ours(telemetry).map((span) => [span.name, span.attributes])).toEqual([
        [
          "DELETE",
          {
            "http.request.method": "DELETE",
            "server.address": "api.oncehub.com",
            "server.port": 443,
            "error.type": "TypeError",
          },
        ],
      ]);
      expect(trace.getActiveSpan()).toBeUndefined();
    });
  });
});
