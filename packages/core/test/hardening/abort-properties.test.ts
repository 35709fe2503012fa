import { describe, expect, it } from "@jest/globals";
import { settled, trackUnhandledRejections } from "@oncekey/test-support";
import fc from "fast-check";
import {
  ApiKey,
  cached,
  chain,
  KeyNotFoundError,
  KeySourceError,
  OnceHubClient,
  staticKey,
  type KeyProvider,
} from "../../src/index.js";

/** How a source's read ends. */
type Behaviour = "ok" | "throw" | "reject-now" | "reject-soon" | "reject-later" | "not-found-later";

/** Runs `task` two turns of the event loop from now: after I/O callbacks and immediates queued meanwhile. */
function later(task: () => void): void {
  setImmediate(() => setImmediate(task));
}

/** A source that behaves as told for each read, in turn. */
function scriptedSource(script: readonly Behaviour[]): KeyProvider {
  let read = 0;
  return {
    name: "scripted",
    getKey(request) {
      const behaviour = script[read++ % script.length] as Behaviour;
      const source = `scripted:${request?.tenant ?? "-"}`;
      const failure = new KeySourceError("The store failed.", { source });
      switch (behaviour) {
        case "ok":
          return Promise.resolve(ApiKey.from("sk-test-0123456789abcdef0123456789", { source }));
        case "throw":
          throw failure;
        case "reject-now":
          return Promise.reject(failure);
        case "reject-soon":
          return new Promise((_, reject) => setImmediate(() => reject(failure)));
        case "reject-later":
          return new Promise((_, reject) => later(() => reject(failure)));
        case "not-found-later":
          return new Promise((_, reject) => later(() => reject(new KeyNotFoundError("No key.", { source }))));
      }
    },
  };
}

/** A signal in one of the states a web request's signal can be in when the call is made. */
type SignalKind = "none" | "aborted" | "abort-now" | "abort-soon" | "abort-later";

function signalOf(kind: SignalKind): AbortSignal | undefined {
  if (kind === "none") return undefined;
  if (kind === "aborted") return AbortSignal.abort();
  const controller = new AbortController();
  if (kind === "abort-now") queueMicrotask(() => controller.abort());
  if (kind === "abort-soon") setImmediate(() => controller.abort());
  if (kind === "abort-later") later(() => controller.abort());
  return controller.signal;
}

type Call =
  "cached" | "chain" | "static" | "request" | "test" | "bookings.get" | "bookings.list" | "forTenant";

const behaviours = fc.constantFrom<Behaviour>(
  "ok",
  "throw",
  "reject-now",
  "reject-soon",
  "reject-later",
  "not-found-later",
);
const steps = fc.array(
  fc.record({
    call: fc.constantFrom<Call>(
      "cached",
      "chain",
      "static",
      "request",
      "test",
      "bookings.get",
      "bookings.list",
      "forTenant",
    ),
    tenant: fc.constantFrom(undefined, "acme", "globex"),
    signal: fc.constantFrom<SignalKind>("none", "aborted", "abort-now", "abort-soon", "abort-later"),
    invalidate: fc.boolean(),
  }),
  { minLength: 1, maxLength: 6 },
);

/** Nothing listens on this loopback port: a request that gets that far fails at once. */
const CLOSED_BASE_URL = "https://127.0.0.1:9/v2";

describe("public calls with aborted and aborting signals against failing sources", () => {
  it("never leave an unhandled rejection (10,000 runs)", async () => {
    const unhandled = trackUnhandledRejections();
    const runs = Number(process.env["ONCEKEY_PROPERTY_RUNS"] ?? 10_000);
    await fc.assert(
      fc.asyncProperty(fc.array(behaviours, { minLength: 1, maxLength: 4 }), steps, async (script, plan) => {
        // Small bounds: lru-cache allocates its arrays up front, and each run builds new caches.
        const bounds = { maxTenants: 8, maxUnknownTenants: 8 };
        const keys = cached(scriptedSource(script), { ...bounds, notFoundTtlMs: 0, retryAfterErrorMs: 0 });
        const linked = chain(cached(scriptedSource(script), bounds), keys);
        const client = new OnceHubClient({ keys, baseUrl: CLOSED_BASE_URL, retry: false, pacing: false });
        const started: Promise<unknown>[] = [];
        for (const step of plan) {
          const signal = signalOf(step.signal);
          const request = {
            ...(step.tenant === undefined ? {} : { tenant: step.tenant }),
            ...(signal ? { signal } : {}),
          };
          const target = step.tenant === undefined ? client : client.forTenant(step.tenant);
          const options = signal === undefined ? {} : { signal };
          started.push(
            settled(() => {
              switch (step.call) {
                case "cached":
                  return keys.getKey(request);
                case "chain":
                  return linked.getKey(request);
                case "static":
                  return staticKey("sk-static-0123456789abcdef").getKey(request);
                case "request":
                  return target.request("GET", "/test", options);
                case "test":
                  return target.test(options);
                case "bookings.get":
                  return target.bookings.get("BKNG-J4FR05BKEWEX", options);
                case "bookings.list":
                  return (async () => {
                    for await (const booking of target.bookings.list({}, options)) return booking;
                  })();
                case "forTenant":
                  return client.forTenant(step.tenant ?? "initech").test(options);
              }
            }),
          );
          if (step.invalidate) {
            started.push(settled(async () => keys.invalidate?.(await keys.getKey(request), request)));
          }
        }
        await Promise.all(started);
        await client.close();
        await linked.close?.();
      }),
      { numRuns: runs },
    );
    // Reads that outlived their callers fail a few milliseconds later.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await unhandled.stop()).toEqual([]);
  }, 120_000);
});
