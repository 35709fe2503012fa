import { afterAll, describe, expect, it } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { fromEnv } from "@oncekey/env";
import { useSandbox } from "@oncekey/test-support";
import { metrics, trace } from "@opentelemetry/api";
import { instrumentOnceKey } from "../src/index.js";
import { inMemoryTelemetry } from "./telemetry.js";

const sandbox = useSandbox();
const savedKey = process.env.ONCEHUB_API_KEY_ACME;

afterAll(() => {
  if (savedKey === undefined) delete process.env.ONCEHUB_API_KEY_ACME;
  else process.env.ONCEHUB_API_KEY_ACME = savedKey;
  metrics.disable();
  trace.disable();
});

// The README's wiring, pointed at the sandbox instead of api.oncehub.com.
describe("README", () => {
  it("wiring", async () => {
    const telemetry = inMemoryTelemetry();
    metrics.setGlobalMeterProvider(telemetry.meterProvider);
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    process.env.ONCEHUB_API_KEY_ACME = sandbox().key;

    const instrumentation = instrumentOnceKey({ tenantAttribute: true });
    const client = new OnceHubClient({
      keys: fromEnv({ variable: "ONCEHUB_API_KEY_{tenant}" }),
      baseUrl: sandbox().baseUrl,
      ca: sandbox().ca,
    });
    await client.forTenant("acme").test();
    await client.close();
    instrumentation.disable();

    expect(telemetry.spans().map((span) => [span.name, span.attributes["oncekey.tenant"]])).toEqual([
      ["GET /v2/test", "acme"],
    ]);
    expect(await telemetry.total("http.client.request.duration", { "oncekey.tenant": "acme" })).toBe(1);
    expect(await telemetry.total("oncekey.requests", { "oncekey.tenant": "acme" })).toBe(1);
    await telemetry.shutdown();
  });
});
