import { describe, expect, it } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { keyFingerprint } from "@oncekey/sandbox";
import { sandboxTransportOptions, useSandbox } from "@oncekey/test-support";
import type { Attributes } from "@opentelemetry/api";
import { instrumentOnceKey, type InstrumentOnceKeyOptions } from "../src/index.js";
import { rotatingKeys } from "./rotating-keys.js";
import { inMemoryTelemetry, type Telemetry } from "./telemetry.js";

const sandbox = useSandbox();

/** Runs `run` with an instrumentation exporting to a fresh in-memory SDK; returns the SDK after the run. */
async function recorded(options: InstrumentOnceKeyOptions, run: () => Promise<void>): Promise<Telemetry> {
  const telemetry = inMemoryTelemetry();
  const instrumentation = instrumentOnceKey({
    meterProvider: telemetry.meterProvider,
    tracerProvider: telemetry.tracerProvider,
    ...options,
  });
  try {
    await run();
  } finally {
    instrumentation.disable();
  }
  return telemetry;
}

/** Every attribute set exported: each data point's and each span's and span event's. */
async function everyAttributeSet(telemetry: Telemetry): Promise<Attributes[]> {
  const metrics = await telemetry.metrics();
  return [
    ...metrics.flatMap((metric) => metric.dataPoints.map((point) => point.attributes)),
    ...telemetry
      .spans()
      .flatMap((span) => [span.attributes, ...span.events.map((event) => event.attributes ?? {})]),
  ];
}

describe("the tenant attribute", () => {
  const run = async () => {
    const client = new OnceHubClient({
      keys: rotatingKeys(sandbox().key).provider,
      ...sandboxTransportOptions(sandbox()),
    });
    try {
      await client.forTenant("acme").test();
      await client.forTenant("globex").test();
    } finally {
      await client.close();
    }
  };

  it("is left out by default", async () => {
    const telemetry = await recorded({}, run);
    const sets = await everyAttributeSet(telemetry);
    expect(sets.length).toBeGreaterThan(0);
    expect(sets.flatMap((set) => Object.values(set))).not.toEqual(expect.arrayContaining(["acme"]));
    expect(await telemetry.points("http.client.request.duration")).toHaveLength(1);
    await telemetry.shutdown();
  });

  it("is oncekey.tenant when asked for with true, on metrics and spans", async () => {
    const telemetry = await recorded({ tenantAttribute: true }, run);
    expect(await telemetry.total("oncekey.requests", { "oncekey.tenant": "acme" })).toBe(1);
    expect(await telemetry.total("http.client.request.duration", { "oncekey.tenant": "globex" })).toBe(1);
    expect(
      telemetry
        .spans()
        .map((span) => span.attributes["oncekey.tenant"])
        .sort(),
    ).toEqual(["acme", "globex"]);
    await telemetry.shutdown();
  });

  it("takes the app's own attribute name", async () => {
    const telemetry = await recorded({ tenantAttribute: "app.tenant.id" }, run);
    expect(await telemetry.total("oncekey.requests", { "app.tenant.id": "acme" })).toBe(1);
    expect(telemetry.spans().every((span) => span.attributes["oncekey.tenant"] === undefined)).toBe(true);
    await telemetry.shutdown();
  });
});

describe("the key fingerprint attribute", () => {
  it("can be left out, for thousands of tenants with a key each", async () => {
    const telemetry = await recorded({ fingerprintAttribute: false }, async () => {
      const client = new OnceHubClient({
        keys: rotatingKeys(sandbox().key).provider,
        ...sandboxTransportOptions(sandbox()),
      });
      await client.test().finally(() => client.close());
    });
    const sets = await everyAttributeSet(telemetry);
    expect(sets.some((set) => "oncekey.key.fingerprint" in set)).toBe(false);
    expect(await telemetry.total("oncekey.requests")).toBe(1);
    await telemetry.shutdown();
  });
});

describe("a stale key", () => {
  it("is counted in oncekey.key.stale_serves with the source's error code", async () => {
    let now = 0;
    const keys = rotatingKeys(sandbox().key, { ttlMs: 1_000, now: () => now });
    const telemetry = await recorded({}, async () => {
      const client = new OnceHubClient({ keys: keys.provider, ...sandboxTransportOptions(sandbox()) });
      try {
        await client.test();
        keys.fail();
        now += 2_000; // past the TTL: the next call reads the source, which fails
        await client.test();
      } finally {
        await client.close();
      }
    });
    expect(await telemetry.points("oncekey.key.stale_serves")).toEqual([
      {
        attributes: { "oncekey.key.fingerprint": keyFingerprint(sandbox().key), "error.type": "KEY_SOURCE" },
        value: 1,
        sum: undefined,
      },
    ]);
    expect(await telemetry.total("oncekey.requests")).toBe(2);
    // The second call got the stale key: its span says so.
    expect(
      telemetry.spans().map((span) => span.events.map((event) => [event.name, event.attributes])),
    ).toEqual([
      [["oncekey.key.loaded", expect.objectContaining({ "oncekey.key.load.reason": "initial" })]],
      [
        [
          "oncekey.key.stale",
          { "error.type": "KEY_SOURCE", "oncekey.key.fingerprint": keyFingerprint(sandbox().key) },
        ],
      ],
    ]);
    await telemetry.shutdown();
  });
});

describe("pacing", () => {
  it("records the time requests wait for the key's rate limit", async () => {
    const telemetry = await recorded({ tenantAttribute: true }, async () => {
      const client = new OnceHubClient({
        keys: rotatingKeys(sandbox().key).provider,
        ...sandboxTransportOptions(sandbox()),
        pacing: { requestsPerSecond: 20, burst: 1 },
      });
      const acme = client.forTenant("acme");
      try {
        await Promise.all([acme.test(), acme.test(), acme.test()]);
      } finally {
        await client.close();
      }
    });
    const [point, ...others] = await telemetry.points("oncekey.pacing.wait.duration");
    expect(others).toEqual([]);
    expect(point?.attributes).toEqual({ "oncekey.tenant": "acme" });
    expect(point?.value).toBe(2);
    expect(point?.sum).toBeGreaterThan(0);
    // Each call that waited has it on its own span, with the estimated wait.
    const waits = telemetry
      .spans()
      .map((span) => span.events.filter((event) => event.name === "oncekey.paced"))
      .filter((events) => events.length > 0);
    expect(waits).toHaveLength(2);
    const estimates = waits.map(([event]) => event?.attributes?.["oncekey.pacing.wait_ms"] as number);
    // The same estimates as the histogram's.
    expect(estimates.reduce((sum, ms) => sum + ms, 0) / 1000).toBeCloseTo(point?.sum as number, 9);
    await telemetry.shutdown();
  });
});
