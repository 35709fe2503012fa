import { describe, expect, it } from "@jest/globals";
import { ApiKey, cached, type KeyProvider, OnceHubClient } from "@oncekey/core";
import { sandboxTransportOptions, useSandbox } from "@oncekey/test-support";
import type { Attributes } from "@opentelemetry/api";
import { type ReadableSpan, type Sampler, SamplingDecision } from "@opentelemetry/sdk-trace-base";
import { instrumentOnceKey } from "../src/index.js";
import { inMemoryTelemetry } from "./telemetry.js";
import { useContextManager } from "./use-context-manager.js";

const sandbox = useSandbox();

/** The sandbox's key for every tenant. */
const anyTenant: KeyProvider = {
  name: "any-tenant",
  getKey: () => Promise.resolve(ApiKey.from(sandbox().key, { source: "test" })),
};

/** Records every span but those of the tenant `unsampled`. */
const skipUnsampled: Sampler = {
  shouldSample: (_context, _traceId, _name, _kind, attributes: Attributes) => ({
    decision:
      attributes["oncekey.tenant"] === "unsampled"
        ? SamplingDecision.NOT_RECORD
        : SamplingDecision.RECORD_AND_SAMPLED,
  }),
  toString: () => "skipUnsampled",
};

/**
 * Runs one call of tenant `outer` whose key source itself calls OnceHub, as tenant `inner`, with a 503 and a retry:
 * the inner call runs inside the outer call's async context. Returns the finished spans.
 */
async function nestedCall(inner: string): Promise<ReadableSpan[]> {
  const telemetry = inMemoryTelemetry(skipUnsampled);
  const instrumentation = instrumentOnceKey({
    meterProvider: telemetry.meterProvider,
    tracerProvider: telemetry.tracerProvider,
    tenantAttribute: true,
  });
  const innerClient = new OnceHubClient({
    keys: anyTenant,
    ...sandboxTransportOptions(sandbox()),
    retry: { maxAttempts: 2, baseDelayMs: 1 },
  });
  const checking: KeyProvider = {
    name: "checking",
    getKey: async () => {
      sandbox().faults.inject({ kind: "status", status: 503, times: 1 });
      await innerClient.forTenant(inner).test();
      return ApiKey.from(sandbox().key, { source: "checking" });
    },
  };
  const client = new OnceHubClient({ keys: cached(checking), ...sandboxTransportOptions(sandbox()) });
  try {
    await client.forTenant("outer").test();
  } finally {
    sandbox().faults.clear();
    await Promise.all([client.close(), innerClient.close()]);
    instrumentation.disable();
  }
  const spans = telemetry.spans();
  await telemetry.shutdown();
  return spans;
}

const events = (span: ReadableSpan | undefined): string[] => span?.events.map((event) => event.name) ?? [];
const ofTenant = (spans: ReadableSpan[], tenant: string): ReadableSpan | undefined =>
  spans.find((span) => span.attributes["oncekey.tenant"] === tenant);

describe.each([
  ["with a context manager", true],
  ["without a context manager", false],
])("a call made inside another call's async context, %s", (_, withContextManager) => {
  if (withContextManager) useContextManager();

  it("puts its events on its own span, and the outer call's on the outer span", async () => {
    const spans = await nestedCall("inner");
    expect(spans).toHaveLength(2);
    const outer = ofTenant(spans, "outer");
    const inner = ofTenant(spans, "inner");
    expect(events(inner)).toEqual(["oncekey.retry"]);
    expect(inner?.attributes["http.request.resend_count"]).toBe(1);
    expect(events(outer)).toEqual(["oncekey.key.loaded"]);
    expect(outer?.attributes["http.request.resend_count"]).toBeUndefined();
    expect(outer?.attributes["http.response.status_code"]).toBe(200);
  });

  it("puts nothing of its own on the outer span when its span is sampled out", async () => {
    const spans = await nestedCall("unsampled");
    expect(spans).toHaveLength(1);
    const [outer] = spans;
    expect(outer?.attributes["oncekey.tenant"]).toBe("outer");
    expect(events(outer)).toEqual(["oncekey.key.loaded"]);
    expect(outer?.attributes["http.request.resend_count"]).toBeUndefined();
  });
});
