import { performance } from "node:perf_hooks";
import type { ApiKey } from "../key/api-key.js";
import type { KeyProvider, KeyRequest } from "../providers/key-provider.js";
import { requireApiKey } from "../providers/require-api-key.js";
import { abortableDelay } from "./abortable-delay.js";

/** {@link RotationOptions} with the defaults filled in. */
export interface RotationPolicy {
  readonly waitForNewKeyMs: number;
  readonly pollIntervalMs: number;
}

/**
 * After OnceHub rejected `rejected`: tells the provider (so a cache drops it, once, however many requests saw the
 * rejection), asks for the key again (a cache makes concurrent callers share one read) and returns it if it is a
 * different key. When the source still serves the rejected key, it asks again every `pollIntervalMs` for up to
 * `waitForNewKeyMs`, then returns `undefined`.
 *
 * Each round invalidates the instance the provider last returned, as `cached` drops only the very instance it
 * holds.
 *
 * @param keys - The provider.
 * @param rejected - The key OnceHub refused.
 * @param request - The tenant and signal.
 * @param policy - How long to wait for a new key.
 */
export async function refreshRejectedKey(
  keys: KeyProvider,
  rejected: ApiKey,
  request: KeyRequest | undefined,
  policy: RotationPolicy,
): Promise<ApiKey | undefined> {
  keys.invalidate?.(rejected, request);
  let current = requireApiKey(await keys.getKey(request), keys);
  if (current.fingerprint !== rejected.fingerprint) return current;
  if (policy.waitForNewKeyMs <= 0) return undefined;
  const deadline = performance.now() + policy.waitForNewKeyMs;
  for (let now = performance.now(); now < deadline; now = performance.now()) {
    await abortableDelay(Math.min(policy.pollIntervalMs, deadline - now), request?.signal);
    keys.invalidate?.(current, request);
    current = requireApiKey(await keys.getKey(request), keys);
    if (current.fingerprint !== rejected.fingerprint) return current;
  }
  return undefined;
}
