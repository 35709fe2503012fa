import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { OnceHubClient, type KeyUsage } from "@oncekey/core";
import { keyFingerprint } from "@oncekey/sandbox";
import { rejectionOf, sandboxTransportOptions, useSandbox } from "@oncekey/test-support";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { instrumentOnceKey, type OnceKeyInstrumentation } from "../src/index.js";
import { rotatingKeys } from "./rotating-keys.js";
import { asReset, inMemoryTelemetry, type Telemetry } from "./telemetry.js";
import { useContextManager } from "./use-context-manager.js";

const sandbox = useSandbox();

/** The attributes of a span event, by event name, in order. */
const eventsOf = (span: ReadableSpan): Record<string, unknown>[] =>
  span.events.map((event) => ({ name: event.name, ...event.attributes }));

describe(instrumentOnceKey.name, () => {
  describe("after a run with successes, a 401 and a rotation, a 429 and a retry, and a network failure", () => {
    let telemetry: Telemetry;
    let instrumentation: OnceKeyInstrumentation;
    let usage: KeyUsage[];
    let oldKey: string;
    let newKey: string;
    let failure: unknown;
    useContextManager();

    beforeAll(async () => {
      telemetry = inMemoryTelemetry();
      instrumentation = instrumentOnceKey({
        meterProvider: telemetry.meterProvider,
        tracerProvider: telemetry.tracerProvider,
      });
      const account = sandbox().accounts.create("otel-run@example.com");
      oldKey = account.key;
      const keys = rotatingKeys(oldKey);
      const client = new OnceHubClient({ keys: keys.provider, ...sandboxTransportOptions(sandbox()) });
      const parent = telemetry.tracerProvider.getTracer("test");
      try {
        // Three successes, inside a span of the app's own.
        await parent.startActiveSpan("handle request", async (span) => {
          await client.test();
          await client.bookings.get("BKNG-000001").catch(() => undefined);
          await client.test();
          span.end();
        });
        // 429, then a retry that succeeds.
        sandbox().faults.inject({ kind: "status", status: 429, times: 1 });
        await client.test();
        // A network failure that outlasts the retries.
        sandbox().faults.inject({ kind: "reset", times: 3 });
        failure = await rejectionOf(client.test());
        // The key rotates the way OnceHub recommends: the source has the new key, the old one is deleted.
        newKey = sandbox().keys.create(account.id, "rotated");
        keys.set(newKey);
        sandbox().keys.delete(oldKey);
        await client.test();
        usage = client.usage();
      } finally {
        await client.close();
        instrumentation.disable();
      }
    });

    afterAll(async () => {
      await telemetry.shutdown();
    });

    it("the calls did what the run says", () => {
      expect(failure).toMatchObject({ code: "NETWORK" });
      // 3 + 2 (429, retry) + 3 resets + 2 (401, replay): 10 exchanges in all.
      expect(usage.reduce((sum, key) => sum + key.requests, 0)).toBe(10);
    });

    it("records every exchange in http.client.request.duration with the semantic conventions' attributes", async () => {
      const points = await telemetry.points("http.client.request.duration");
      const server = { "server.address": "127.0.0.1", "server.port": Number(new URL(sandbox().url).port) };
      // A reset counts once, whichever way it reached the client.
      const counts: Record<string, unknown>[] = points.map((p) => ({ ...p.attributes, count: p.value }));
      const resets = counts.filter((c) => asReset(c["error.type"]) === "ECONNRESET");
      expect(resets.reduce((sum, c) => sum + (c.count as number), 0)).toBe(3);
      for (const reset of resets) expect(reset).toMatchObject({ "http.request.method": "GET", ...server });
      expect(counts).toEqual(
        expect.arrayContaining([
          { "http.request.method": "GET", "http.response.status_code": 200, ...server, count: 4 },
          {
            "http.request.method": "GET",
            "http.response.status_code": 404,
            "error.type": "404",
            ...server,
            count: 1,
          },
          {
            "http.request.method": "GET",
            "http.response.status_code": 429,
            "error.type": "429",
            ...server,
            count: 1,
          },
          {
            "http.request.method": "GET",
            "http.response.status_code": 401,
            "error.type": "401",
            ...server,
            count: 1,
          },
        ]),
      );
      expect(counts).toHaveLength(4 + resets.length);
      expect(points.every((p) => (p.sum as number) > 0 && (p.sum as number) < 60)).toBe(true);
    });

    it("counts requests, failures, 401s and 429s per key fingerprint exactly as usage() does", async () => {
      expect(usage).toHaveLength(2);
      for (const key of usage) {
        const where = { "oncekey.key.fingerprint": key.fingerprint };
        const points = (await telemetry.points("oncekey.requests")).filter(
          (p) => p.attributes["oncekey.key.fingerprint"] === key.fingerprint,
        );
        const sum = (match: (p: (typeof points)[number]) => boolean) =>
          points.filter(match).reduce((total, p) => total + p.value, 0);
        expect({
          fingerprint: key.fingerprint,
          requests: await telemetry.total("oncekey.requests", where),
          failures: sum((p) => p.attributes["error.type"] !== undefined),
          unauthorized: sum((p) => p.attributes["http.response.status_code"] === 401),
          rateLimited: sum((p) => p.attributes["http.response.status_code"] === 429),
        }).toEqual({
          fingerprint: key.fingerprint,
          requests: key.requests,
          failures: key.failures,
          unauthorized: key.unauthorized,
          rateLimited: key.rateLimited,
        });
      }
      expect(usage.map((key) => key.fingerprint).sort()).toEqual(
        [keyFingerprint(oldKey), keyFingerprint(newKey)].sort(),
      );
    });

    it("counts the rejection, the key loads, the rotation and the retries", async () => {
      const old = keyFingerprint(oldKey);
      const fresh = keyFingerprint(newKey);
      expect(await telemetry.points("oncekey.key.rejections")).toEqual([
        {
          attributes: {
            "oncekey.key.fingerprint": old,
            "http.response.status_code": 401,
            "error.type": "401",
          },
          value: 1,
          sum: undefined,
        },
      ]);
      expect((await telemetry.points("oncekey.key.loads")).map((p) => [p.attributes, p.value])).toEqual(
        expect.arrayContaining([
          [
            {
              "oncekey.key.fingerprint": old,
              "oncekey.key.provider": "rotating",
              "oncekey.key.load.reason": "initial",
            },
            1,
          ],
          [
            {
              "oncekey.key.fingerprint": fresh,
              "oncekey.key.provider": "rotating",
              "oncekey.key.load.reason": "invalidated",
            },
            1,
          ],
        ]),
      );
      expect(await telemetry.total("oncekey.key.load.duration")).toBe(2);
      expect(await telemetry.points("oncekey.key.rotations")).toEqual([
        { attributes: { "oncekey.key.fingerprint": fresh }, value: 1, sum: undefined },
      ]);
      expect(await telemetry.total("oncekey.retries", { "error.type": "429" })).toBe(1);
      expect(
        (await telemetry.total("oncekey.retries", { "error.type": "ECONNRESET" })) +
          (await telemetry.total("oncekey.retries", { "error.type": "UND_ERR_SOCKET" })),
      ).toBe(2);
      expect(await telemetry.total("oncekey.retries")).toBe(3);
    });

    it("writes one CLIENT span per call, under the caller's span", () => {
      const spans = telemetry
        .spans()
        .filter((span) => span.instrumentationScope.name === "@oncekey/opentelemetry");
      expect(spans).toHaveLength(6);
      expect(spans.every((span) => span.kind === SpanKind.CLIENT)).toBe(true);
      const parent = telemetry.spans().find((span) => span.name === "handle request") as ReadableSpan;
      const children = spans
        .filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId)
        .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
      expect(children.map((span) => span.name)).toEqual([
        "GET /v2/test",
        "GET /v2/bookings/{id}",
        "GET /v2/test",
      ]);
      expect(children.map((span) => span.spanContext().traceId)).toEqual(
        children.map(() => parent.spanContext().traceId),
      );
      const first = children[0] as ReadableSpan;
      expect(first.attributes).toEqual({
        "http.request.method": "GET",
        "server.address": "127.0.0.1",
        "server.port": Number(new URL(sandbox().url).port),
        "url.full": `${sandbox().url}/v2/test`,
        "http.response.status_code": 200,
        "oncekey.key.fingerprint": keyFingerprint(oldKey),
      });
      expect(first.status.code).toBe(SpanStatusCode.UNSET);
      // The first call read the key: that read is inside its span.
      expect(eventsOf(first)).toEqual([
        {
          name: "oncekey.key.loaded",
          "oncekey.key.fingerprint": keyFingerprint(oldKey),
          "oncekey.key.provider": "rotating",
          "oncekey.key.load.reason": "initial",
          "oncekey.duration_ms": expect.any(Number),
        },
      ]);
      // A failed call: the last exchange's status, and the error's code.
      expect(children[1]?.attributes).toMatchObject({
        "http.response.status_code": 404,
        "error.type": "INVALID_REQUEST",
      });
      expect(children[1]?.status.code).toBe(SpanStatusCode.ERROR);
      expect(children[2]?.events).toEqual([]);
    });

    it("puts a retry on its call's span as an event, with the resend count", () => {
      const [retried] = telemetry
        .spans()
        .filter((span) => span.events.some((e) => e.attributes?.["error.type"] === "429"));
      expect(retried?.attributes).toMatchObject({
        "http.response.status_code": 200,
        "http.request.resend_count": 1,
      });
      expect(retried?.attributes["error.type"]).toBeUndefined();
      expect(eventsOf(retried as ReadableSpan)).toEqual([
        {
          name: "oncekey.retry",
          "http.request.resend_count": 1,
          "error.type": "429",
          "oncekey.retry.delay_ms": expect.any(Number),
        },
      ]);
    });

    it("puts the rejection, the key read again and the rotation on the rotated call's span", () => {
      const [rotated] = telemetry
        .spans()
        .filter((span) => span.events.some((e) => e.name === "oncekey.key.rejected"));
      const old = keyFingerprint(oldKey);
      const fresh = keyFingerprint(newKey);
      expect(rotated?.attributes).toMatchObject({
        "http.response.status_code": 200,
        "http.request.resend_count": 1,
        "oncekey.key.fingerprint": fresh,
      });
      expect(rotated?.status.code).toBe(SpanStatusCode.UNSET);
      expect(eventsOf(rotated as ReadableSpan)).toEqual([
        { name: "oncekey.key.rejected", "http.response.status_code": 401, "oncekey.key.fingerprint": old },
        {
          name: "oncekey.key.loaded",
          "oncekey.key.fingerprint": fresh,
          "oncekey.key.provider": "rotating",
          "oncekey.key.load.reason": "invalidated",
          "oncekey.duration_ms": expect.any(Number),
        },
        {
          name: "oncekey.key.rotated",
          "oncekey.key.previous_fingerprint": old,
          "oncekey.key.fingerprint": fresh,
        },
      ]);
    });

    it("marks the call that failed on the network as an error, with each retry as an event", () => {
      const [failed, ...others] = telemetry
        .spans()
        .filter((span) => span.attributes["error.type"] === "NETWORK");
      expect(others).toEqual([]);
      expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
      expect(failed?.attributes["http.response.status_code"]).toBeUndefined();
      expect(failed?.attributes["http.request.resend_count"]).toBe(2);
      expect(
        eventsOf(failed as ReadableSpan).map((e) => [
          e.name,
          asReset(e["error.type"]),
          e["http.request.resend_count"],
        ]),
      ).toEqual([
        ["oncekey.retry", "ECONNRESET", 1],
        ["oncekey.retry", "ECONNRESET", 2],
      ]);
    });

    it("spans each call from before its key is read to the end of its last exchange", () => {
      for (const span of telemetry.spans()) {
        const start = span.startTime[0] * 1e3 + span.startTime[1] / 1e6;
        const end = span.endTime[0] * 1e3 + span.endTime[1] / 1e6;
        expect(end).toBeGreaterThanOrEqual(start);
        for (const event of span.events) {
          const at = event.time[0] * 1e3 + event.time[1] / 1e6;
          expect(at).toBeGreaterThanOrEqual(start);
          expect(at).toBeLessThanOrEqual(end);
        }
      }
      expect(trace.getActiveSpan()).toBeUndefined();
    });
  });
});
