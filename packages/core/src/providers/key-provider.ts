import type { OnceKeyEventListener } from "../events/once-key-event.js";
import type { ApiKey } from "../key/api-key.js";

/**
 * What a caller asks a {@link KeyProvider} for.
 *
 * @example
 * ```ts
 * const key = await keys.getKey({ tenant: "acme", signal: AbortSignal.timeout(2_000) });
 * ```
 */
export interface KeyRequest {
  /** The tenant whose key is wanted; absent for a single-tenant app. Validated before any I/O. */
  readonly tenant?: string;
  /** Gives up waiting for the key; a shared read started for other callers goes on. */
  readonly signal?: AbortSignal;
  /**
   * The API call asking, given by the client: a source puts it in the events it publishes about this read
   * (`key:loaded`, `key:stale`), so an observer knows which call they belong to. Ignored otherwise.
   */
  readonly callId?: number;
}

/**
 * Called by a provider whose source changed, so a cache reloads; no `tenant` means every tenant.
 *
 * @example
 * ```ts
 * const onChange: KeyChangeListener = (change) => console.log(`reload ${change.tenant ?? "every tenant"}`);
 * const stop = provider.watch?.(onChange);
 * ```
 */
export type KeyChangeListener = (change: { readonly tenant?: string }) => void;

/**
 * Where API keys come from. Implement it to add a source; compose with `cached` and `chain`.
 *
 * A provider reads its source in `getKey`, never at import or construction. It says "not configured here" by
 * throwing {@link KeyNotFoundError} (so `chain` moves on), "configured but broken" with {@link KeyFormatError},
 * and "the source failed" with {@link KeySourceError}.
 *
 * @example
 * ```ts
 * const fromMyStore: KeyProvider = {
 *   name: "my-store",
 *   async getKey(request) {
 *     const raw = await myStore.read(request?.tenant ?? "default");
 *     if (raw === undefined) throw new KeyNotFoundError("No key in my store.", { source: "my-store" });
 *     return ApiKey.from(raw, { source: "my-store" });
 *   },
 * };
 * const keys = cached(fromMyStore);
 * ```
 */
export interface KeyProvider {
  /** A short name for messages and events, e.g. `env`, `file`, `cached(env)`. */
  readonly name: string;
  /** Returns the key for `request.tenant` (or the only key). */
  getKey(request?: KeyRequest): Promise<ApiKey>;
  /** Says that OnceHub rejected `key`, so a cache drops it if it is still the one it holds. */
  invalidate?(key: ApiKey, request?: KeyRequest): void;
  /**
   * Subscribes to changes of the source (a file rewritten, a secret updated); returns the unsubscribe function.
   * `cached` uses it to reload at once instead of waiting for a rejection.
   */
  watch?(listener: KeyChangeListener): () => void;
  /**
   * Hands the provider's events (`key:loaded`, `key:warning` …) to `listener` until the returned function is
   * called. A client subscribes with its `onEvent`, so it sees every event of the keys it uses; `cached` and
   * `chain` pass subscriptions on to the providers they wrap.
   */
  subscribe?(listener: OnceKeyEventListener): () => void;
  /** Releases watchers, timers and clients. */
  close?(): Promise<void>;
}
