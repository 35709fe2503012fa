import { KeyNotFoundError } from "../errors/key-not-found-error.js";
import { OnceKeyError } from "../errors/once-key-error.js";
import { EventHub } from "../events/event-hub.js";
import type { OnceKeyEventListener } from "../events/once-key-event.js";
import type { ApiKey } from "../key/api-key.js";
import { validateTenant } from "../tenant/validate-tenant.js";
import { CacheEntries } from "./cache-entries.js";
import { type CacheEntry as Entry, type EntryId, type LoadReason, NO_TENANT } from "./cache-entry.js";
import { type CachedOptions, resolveCachedOptions } from "./cached-options.js";
import type { KeyProvider, KeyRequest } from "./key-provider.js";
import { withSignal } from "./with-signal.js";

/** A read of the source in progress for one tenant. */
interface Flight {
  readonly promise: Promise<ApiKey>;
  /** The source reported a change while this read ran: its result may predate the change. */
  changed: boolean;
}

const CACHED = Symbol("oncekey.cached");

/**
 * Wraps a provider with a per-tenant cache: single-flight reads, an LRU bound on tenants, optional TTL,
 * invalidation of rejected keys and stale-if-error.
 *
 * - Single-flight: concurrent `getKey` calls for one tenant share one source read (10,000 callers on a cold
 *   cache cause one read).
 * - `invalidate(key)` drops the tenant's entry only while `key` is the very instance it holds, so 1,000
 *   concurrent rejections of one key cause one reload, and a late rejection of an old key is ignored. Pass the
 *   instance `getKey` returned.
 * - A source that reports changes (`watch`) makes the next `getKey` reload.
 * - When a reload fails with a transient error (`error.transient`: a source failure that passes; any error that
 *   is not oncekey's), the last good key is served for up to `staleIfErrorMs`, with a `key:stale` event; "not
 *   found", "bad format" and other lasting errors are not, and a rejected key is never served stale.
 * - "No key for this tenant" is remembered for `notFoundTtlMs`, apart from real keys (`maxUnknownTenants`), so
 *   made-up tenant ids never push a real key out.
 * - Tenant ids are validated before the source is asked.
 *
 * `cached` of a cached provider returns it unchanged; every factory (`fromEnv`, `fromFile` …) already returns a
 * cached provider.
 *
 * @param provider - The source to cache.
 * @param options - {@link CachedOptions}.
 * @example
 * ```ts
 * const keys = cached(fromMyStore, { maxTenants: 50_000, ttlMs: 15 * 60_000, ttlJitter: 0.2 });
 * const key = await keys.getKey({ tenant: "acme" });
 * ```
 */
export function cached(provider: KeyProvider, options: CachedOptions = {}): KeyProvider {
  if (typeof provider !== "object" || provider === null || typeof provider.getKey !== "function") {
    throw new TypeError("cached: pass a KeyProvider, an object with a getKey(request) method.");
  }
  if ((provider as { [CACHED]?: true })[CACHED] === true) return provider;
  const {
    maxTenants,
    maxUnknownTenants,
    ttlMs,
    ttlJitter,
    staleIfErrorMs,
    retryAfterErrorMs,
    notFoundTtlMs,
    onEvent,
    now,
  } = resolveCachedOptions(options);

  const events = new EventHub(onEvent);
  const entries = new CacheEntries(maxTenants, maxUnknownTenants);
  /** The read whose result the cache will keep, per tenant; a superseded read still answers its callers. */
  const flights = new Map<EntryId, Flight>();
  let unwatch: (() => void) | undefined;
  let watching = false;

  const expiry = (from: number): number =>
    ttlMs === Infinity ? Infinity : from + ttlMs * (1 - ttlJitter * Math.random());

  const markDue = (id: EntryId, entry: Entry | undefined, at: number): void => {
    const flight = flights.get(id);
    if (flight !== undefined) flight.changed = true;
    if (entry?.key === undefined) return;
    if (entry.expiresAt > at) {
      entry.expiresAt = -Infinity;
      entry.dueAt = at;
      entry.reason = "changed";
    }
    entry.retryAt = 0;
    entries.changed(id, entry);
  };

  const startWatching = (): void => {
    watching = true;
    unwatch = provider.watch?.((change) => {
      const at = now();
      if (change.tenant === undefined) {
        entries.forEach((id, entry) => markDue(id, entry, at));
        for (const flight of flights.values()) flight.changed = true;
      } else {
        markDue(change.tenant, entries.peek(change.tenant), at);
      }
    });
  };

  const load = (id: EntryId, tenant: string | undefined, entry: Entry | undefined): Promise<ApiKey> => {
    const reason: LoadReason = entry?.reason ?? "initial";
    const started = now();
    // `flight` is defined below, before any callback of the read can run.
    const superseded = (): boolean => flights.get(id) !== flight;
    const read = provider.getKey(tenant === undefined ? undefined : { tenant }).then(
      (key) => {
        // An invalidation during the read handed the entry to a newer read: this result may be the rejected key.
        if (superseded()) return key;
        const loadedAt = now();
        const changed = flight.changed;
        const previous = entry?.key ?? entry?.previous;
        const expiresAt = changed ? -Infinity : expiry(loadedAt);
        entries.set(id, {
          key,
          resolved: Promise.resolve(key),
          expiresAt,
          dueAt: changed ? loadedAt : expiresAt,
          reason: changed ? "changed" : "expired",
          previous: undefined,
          retryAt: 0,
          notFound: undefined,
          notFoundUntil: 0,
        });
        const base = { time: loadedAt, ...(tenant === undefined ? {} : { tenant }) };
        events.emit({
          type: "key:loaded",
          ...base,
          fingerprint: key.fingerprint,
          source: key.source,
          provider: provider.name,
          reason,
          durationMs: loadedAt - started,
        });
        if (previous !== undefined && previous.fingerprint !== key.fingerprint) {
          events.emit({
            type: "key:rotated",
            ...base,
            previousFingerprint: previous.fingerprint,
            fingerprint: key.fingerprint,
            source: key.source,
          });
        }
        return key;
      },
      (error: unknown) => {
        if (superseded()) throw error;
        const at = now();
        const current = entries.peek(id);
        // Serve the last good key only if it is still the one held: an invalidation during the read wins.
        if (
          entry?.key !== undefined &&
          current === entry &&
          current.key === entry.key &&
          staleIfErrorMs > 0 &&
          at - entry.dueAt <= staleIfErrorMs &&
          isTransient(error)
        ) {
          entry.retryAt = at + retryAfterErrorMs;
          events.emit({
            type: "key:stale",
            time: at,
            ...(tenant === undefined ? {} : { tenant }),
            fingerprint: entry.key.fingerprint,
            source: entry.key.source,
            errorCode: OnceKeyError.is(error) ? error.code : "UNKNOWN",
            errorMessage: error instanceof Error ? error.message : String(error),
            staleForMs: at - entry.dueAt,
          });
          return entry.key;
        }
        if (KeyNotFoundError.is(error) && notFoundTtlMs > 0) {
          entries.set(id, {
            key: undefined,
            resolved: undefined,
            expiresAt: -Infinity,
            dueAt: at,
            reason: "initial",
            previous: entry?.key ?? entry?.previous,
            retryAt: 0,
            notFound: error,
            notFoundUntil: at + notFoundTtlMs,
          });
        } else if (current !== undefined && current === entry && current.key !== undefined) {
          // The held key is past its bound (or the error says the source is misconfigured): stop serving it.
          current.previous = current.key;
          current.key = undefined;
          current.resolved = undefined;
          entries.changed(id, current);
        }
        throw error;
      },
    );
    const flight: Flight = {
      promise: read.finally(() => {
        if (!superseded()) flights.delete(id);
      }),
      changed: false,
    };
    // Every caller of a shared read may give up (abort) before it ends: its failure must still count as handled,
    // or Node would exit on it. The callers that wait still receive it.
    flight.promise.catch(ignore);
    flights.set(id, flight);
    return flight.promise;
  };

  const miss = (id: EntryId, request: KeyRequest | undefined): Promise<ApiKey> => {
    const tenant = request?.tenant;
    if (tenant !== undefined) validateTenant(tenant);
    // A caller that has already given up starts no read: nobody would wait for it.
    const signal = request?.signal;
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (!watching) startWatching();
    const entry = entries.peek(id);
    const at = now();
    if (entry !== undefined) {
      if (entry.notFound !== undefined && entry.notFoundUntil > at) return Promise.reject(entry.notFound);
      if (entry.key !== undefined && entry.retryAt > at && at - entry.dueAt <= staleIfErrorMs) {
        return Promise.resolve(entry.key);
      }
    }
    return withSignal(flights.get(id)?.promise ?? load(id, tenant, entry), signal);
  };

  const result: KeyProvider & { [CACHED]: true } = {
    [CACHED]: true,
    name: provider.name,
    getKey(request?: KeyRequest): Promise<ApiKey> {
      // A request that is not an object (`getKey("acme")` from JavaScript) must not fall back to the key of no tenant.
      if (request !== undefined && (typeof request !== "object" || request === null)) {
        return Promise.reject(
          new TypeError(
            `getKey takes a KeyRequest object such as { tenant: "acme" }, got ${typeName(request)}.`,
          ),
        );
      }
      // Only `undefined` means "no tenant": `null` or any other value misses and is refused by the validation.
      const tenant = request?.tenant;
      const id = tenant === undefined ? NO_TENANT : tenant;
      const hit = entries.hit(id, now);
      if (hit !== undefined) return hit;
      try {
        return miss(id, request);
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
    invalidate(key: ApiKey, request?: KeyRequest): void {
      const tenant = request?.tenant;
      const id = tenant === undefined ? NO_TENANT : tenant;
      const entry = entries.peek(id);
      if (entry !== undefined && entry.key === key) {
        entry.previous = key;
        entry.key = undefined;
        entry.resolved = undefined;
        entry.expiresAt = -Infinity;
        entry.reason = "invalidated";
        entries.changed(id, entry);
        // A reload already running may return the rejected key: the next caller starts a fresh one.
        flights.delete(id);
        events.emit({
          type: "key:invalidated",
          time: now(),
          ...(tenant === undefined ? {} : { tenant }),
          fingerprint: key.fingerprint,
          source: key.source,
        });
      }
      provider.invalidate?.(key, request);
    },
    async close(): Promise<void> {
      unwatch?.();
      unwatch = undefined;
      entries.clear();
      flights.clear();
      await provider.close?.();
    },
  };
  if (provider.watch !== undefined) {
    const watch = provider.watch.bind(provider);
    Object.defineProperty(result, "watch", { value: watch, enumerable: true });
  }
  // The cache's own events and the wrapped provider's reach a subscriber alike.
  const subscribe = (listener: OnceKeyEventListener): (() => void) => {
    const own = events.subscribe(listener);
    const inner = provider.subscribe?.(listener);
    return () => {
      own();
      inner?.();
    };
  };
  Object.defineProperty(result, "subscribe", { value: subscribe, enumerable: true });
  return result;
}

/** Whether a failed reload may be bridged with the last good key: oncekey's own say; any other error may pass. */
function isTransient(error: unknown): boolean {
  return OnceKeyError.is(error) ? error.transient : true;
}

function ignore(): void {}

function typeName(value: unknown): string {
  return value === null ? "null" : typeof value;
}
