import { describe, expect, it } from "@jest/globals";
import { KeyNotFoundError, type KeyProvider, OnceHubClient } from "@oncekey/core";
import { CANARY_KEYS, holdsKey, printedForms } from "@oncekey/sandbox";
import { sandboxTransportOptions, settled, useSandbox } from "@oncekey/test-support";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { instrumentOnceKey } from "../src/index.js";
import { rotatingKeys } from "./rotating-keys.js";
import { inMemoryTelemetry, type Telemetry } from "./telemetry.js";

const sandbox = useSandbox();

/** Everything the SDK exported, printed every way a log could print it: metrics (names, descriptions, units,
 * attributes, values) and spans (names, attributes, events, status), as objects and one by one. */
async function everythingExported(telemetry: Telemetry): Promise<string> {
  const metrics = await telemetry.metrics();
  const spans = telemetry.spans();
  const plain = (span: ReadableSpan) => ({
    name: span.name,
    kind: span.kind,
    attributes: span.attributes,
    events: span.events,
    status: span.status,
    links: span.links,
    scope: span.instrumentationScope,
  });
  return [
    printedForms(metrics),
    ...metrics.map((metric) => printedForms(metric)),
    ...spans.map((span) => printedForms(plain(span))),
    ...spans.map((span) => printedForms(span)),
  ].join("\n");
}

describe("what the instrumentation exports", () => {
  it("never holds a key that OnceHub rejected, even one the app put in a path", async () => {
    const telemetry = inMemoryTelemetry();
    const instrumentation = instrumentOnceKey({
      meterProvider: telemetry.meterProvider,
      tracerProvider: telemetry.tracerProvider,
      tenantAttribute: true,
    });
    try {
      for (const canary of Object.values(CANARY_KEYS)) {
        const served = rotatingKeys(canary).provider;
        // Tenant "nokey" has no key: its calls fail before any exchange, so no key was read to redact.
        const keys: KeyProvider = {
          name: "canary",
          getKey: (request) =>
            request?.tenant === "nokey"
              ? Promise.reject(new KeyNotFoundError("No key for this tenant.", { source: "canary" }))
              : served.getKey(request),
        };
        const client = new OnceHubClient({ keys, ...sandboxTransportOptions(sandbox()) });
        try {
          await settled(client.test());
          await settled(client.forTenant("nokey").request("GET", `/${canary}`));
          await settled(client.forTenant("acme").request("GET", `/bookings/${encodeURIComponent(canary)}`));
          await settled(client.request("GET", `/bookings/${canary}`));
          sandbox().faults.inject({ kind: "status", status: 503, times: 2 });
          await settled(client.request("GET", `/webhooks/${canary}`));
        } finally {
          await client.close();
        }
      }
    } finally {
      instrumentation.disable();
    }
    const exported = await everythingExported(telemetry);
    expect(telemetry.spans().length).toBe(20);
    expect(
      telemetry.spans().filter((span) => span.attributes["error.type"] === "KEY_NOT_FOUND"),
    ).toHaveLength(4);
    expect(exported).toContain("oncekey.key.rejected");
    for (const canary of Object.values(CANARY_KEYS))
      expect({ canary, shown: holdsKey(exported, canary) }).toEqual({ canary, shown: false });
    await telemetry.shutdown();
  });

  it("never holds the working keys of a run with a rotation, retries and a network failure", async () => {
    const telemetry = inMemoryTelemetry();
    const instrumentation = instrumentOnceKey({
      meterProvider: telemetry.meterProvider,
      tracerProvider: telemetry.tracerProvider,
      tenantAttribute: true,
    });
    const account = sandbox().accounts.create("canary-run@example.com");
    const keys = rotatingKeys(account.key);
    const used = [account.key];
    const client = new OnceHubClient({ keys: keys.provider, ...sandboxTransportOptions(sandbox()) });
    try {
      await client.test();
      sandbox().faults.inject({ kind: "status", status: 429, times: 1 });
      await client.forTenant("acme").test();
      sandbox().faults.inject({ kind: "reset", times: 1 });
      await client.test();
      const fresh = sandbox().keys.create(account.id, "next");
      used.push(fresh);
      keys.set(fresh);
      sandbox().keys.delete(account.key);
      await client.test();
      await settled(client.bookings.get("BKNG-missing"));
    } finally {
      await client.close();
      instrumentation.disable();
    }
    const exported = await everythingExported(telemetry);
    expect(exported).toContain("oncekey.key.rotated");
    for (const key of used) expect(holdsKey(exported, key)).toBe(false);
    await telemetry.shutdown();
  });
});
