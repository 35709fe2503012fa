import { setTimeout as sleep } from "node:timers/promises";
import type { ApiKey, KeyProvider } from "@oncekey/core";
import fc from "fast-check";
import { settled } from "./rejection-of.js";

/** How a generated call's `AbortSignal` behaves. */
export type SignalPlan = "none" | "aborted" | { readonly abortAfterMs: number };

/** One public call on a provider, as {@link providerCalls} generates it. */
export type ProviderCall =
  | { readonly kind: "getKey"; readonly tenant: string | undefined; readonly signal: SignalPlan }
  | { readonly kind: "invalidate"; readonly tenant: string | undefined }
  | { readonly kind: "close" }
  | { readonly kind: "pause"; readonly ms: number };

/**
 * Sequences of a provider's public calls for a property test: `getKey` for each of `tenants` (`undefined` for the
 * key of no tenant) with no signal, an already aborted one, or one that aborts a few ms in; `invalidate` of the
 * last key served; `close` at any point, reads still in flight; short pauses between them.
 *
 * @param tenants - The tenants to ask for.
 * @example
 * ```ts
 * await fc.assert(fc.asyncProperty(providerCalls([undefined, "acme"]), (calls) => runProviderCalls(make(), calls)));
 * ```
 */
export function providerCalls(tenants: readonly (string | undefined)[]): fc.Arbitrary<ProviderCall[]> {
  const tenant = fc.constantFrom(...tenants);
  const signal: fc.Arbitrary<SignalPlan> = fc.oneof(
    fc.constant("none" as const),
    fc.constant("aborted" as const),
    fc.integer({ min: 0, max: 20 }).map((abortAfterMs) => ({ abortAfterMs })),
  );
  const call: fc.Arbitrary<ProviderCall> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("getKey" as const), tenant, signal }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("invalidate" as const), tenant }) },
    { weight: 1, arbitrary: fc.constant({ kind: "close" as const }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("pause" as const), ms: fc.integer({ min: 0, max: 10 }) }),
    },
  );
  return fc.array(call, { minLength: 1, maxLength: 12 });
}

/**
 * Runs `calls` on `provider` as a busy app would: reads are started and not awaited one by one, `close` and pauses
 * happen while they are in flight; then waits for every call to settle and closes the provider. Never rejects for
 * a call that failed: the property is about what escapes the calls (unhandled rejections, a hang), not their
 * outcomes.
 *
 * @param provider - The provider under test, fresh for this run.
 * @param calls - From {@link providerCalls}.
 */
export async function runProviderCalls(provider: KeyProvider, calls: readonly ProviderCall[]): Promise<void> {
  const pending: Promise<unknown>[] = [];
  const served = new Map<string | undefined, ApiKey>();
  for (const call of calls) {
    switch (call.kind) {
      case "getKey": {
        const signal = signalOf(call.signal);
        const request = {
          ...(call.tenant === undefined ? {} : { tenant: call.tenant }),
          ...(signal === undefined ? {} : { signal }),
        };
        pending.push(
          settled(
            provider.getKey(request).then((key) => {
              served.set(call.tenant, key);
              return key;
            }),
          ),
        );
        break;
      }
      case "invalidate": {
        const key = served.get(call.tenant);
        if (key !== undefined)
          provider.invalidate?.(key, call.tenant === undefined ? undefined : { tenant: call.tenant });
        break;
      }
      case "close":
        pending.push(settled(provider.close?.() ?? Promise.resolve()));
        break;
      case "pause":
        await sleep(call.ms);
        break;
    }
  }
  await Promise.all(pending);
  await provider.close?.();
}

function signalOf(plan: SignalPlan): AbortSignal | undefined {
  if (plan === "none") return undefined;
  if (plan === "aborted") return AbortSignal.abort();
  return AbortSignal.timeout(plan.abortAfterMs);
}
