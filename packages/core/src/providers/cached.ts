import { ConfigError } from "../errors/config-error.js";
import { OnceKeyError } from "../errors/once-key-error.js";
import { EventHub } from "../events/event-hub.js";
import type { OnceKeyEventListener } from "../events/once-key-event.js";
import type { ApiKey } from "../key/api-key.js";
import { validateTenant } from "../tenant/validate-tenant.js";
import { CacheEntries, type EntryId, NO_TENANT } from "./cache-entries.js";
import {
  type CacheState,
  changed,
  failed,
  invalidated,
  lastKey,
  loaded,
  loadReason,
  served,
} from "./cache-state.js";
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
 * cached provider, whose cache options are the factory's `cache` option: options given here for it are a
 * `ConfigError`, as they would not apply.
 *
 * @param provider - The source to cache.
 * @param options - {@link CachedOptions}.
 * @throws `ConfigError` for a bad or unknown option, or for options given with an already cached provider.
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
  const resolved = resolveCachedOptions(options);
  if ((provider as { [CACHED]?: true })[CACHED] === true) {
    if (Object.values(options).some((value) => value !== undefined)) {
      throw new ConfigError(
        `cached: ${provider.name} is already cached, so these options would not apply. Give them where it is ` +
          "made (for example fromFile({ path, cache: { ttlMs } })), or pass no options.",
        { variable: "options" },
      );
    }
    return provider;
  }
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
  } = resolved;

  const events = new EventHub(onEvent);
  const entries = new CacheEntries(maxTenants, maxUnknownTenants);
  const policy = { staleIfErrorMs, retryAfterErrorMs, notFoundTtlMs };
  /** The read whose result the cache will keep, per tenant; a superseded read still answers its callers. */
  const flights = new Map<EntryId, Flight>();
  let unwatch: (() => void) | undefined;
  let watching = false;
  let closing: Promise<void> | undefined;

  const expiry = (from: number): number =>
    ttlMs === Infinity ? Infinity : from + ttlMs * (1 - ttlJitter * Math.random());

  const onChange = (id: EntryId, state: CacheState | undefined, at: number): void => {
    const flight = flights.get(id);
    if (flight !== undefined) flight.changed = true;
    const next = state === undefined ? undefined : changed(state, at);
    if (next !== undefined) entries.set(id, next);
  };

  const startWatching = (): void => {
    watching = true;
    unwatch = provider.watch?.((change) => {
      const at = now();
      if (change.tenant === undefined) {
        entries.forEach((id, state) => onChange(id, state, at));
        for (const flight of flights.values()) flight.changed = true;
      } else {
        onChange(change.tenant, entries.peek(change.tenant), at);
      }
    });
  };

  const load = (
    id: EntryId,
    tenant: string | undefined,
    from: CacheState | undefined,
    callId: number | undefined,
  ): Promise<ApiKey> => {
    const started = now();
    const reason = from === undefined ? "initial" : loadReason(from, started);
    // The tenant and the call that started the read, in the events it publishes.
    const forTenant = tenant === undefined ? {} : { tenant };
    const scope = callId === undefined ? forTenant : { ...forTenant, callId };
    // `flight` is defined below, before any callback of the read can run.
    const superseded = (): boolean => flights.get(id) !== flight;
    const read = provider.getKey(tenant === undefined ? undefined : { tenant }).then(
      (key) => {
        // An invalidation during the read handed the entry to a newer read: this result may be the rejected key.
        if (superseded()) return key;
        const at = now();
        entries.set(id, loaded(key, at, expiry(at), flight.changed));
        events.emit({
          type: "key:loaded",
          time: at,
          ...scope,
          fingerprint: key.fingerprint,
          source: key.source,
          provider: provider.name,
          reason,
          durationMs: at - started,
        });
        const previous = from === undefined ? undefined : lastKey(from);
        if (previous !== undefined && previous.fingerprint !== key.fingerprint) {
          events.emit({
            type: "key:rotated",
            time: at,
            ...scope,
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
        // Only from the state the read started from: an invalidation during the read wins.
        const next = entries.peek(id) === from ? failed(from, error, at, policy) : undefined;
        if (next !== undefined) entries.set(id, next);
        if (next?.kind !== "stale") throw error;
        events.emit({
          type: "key:stale",
          time: at,
          ...scope,
          fingerprint: next.key.fingerprint,
          source: next.key.source,
          errorCode: OnceKeyError.is(error) ? error.code : "UNKNOWN",
          errorMessage: describeSourceError(error),
          staleForMs: at - next.dueAt,
        });
        return next.key;
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
    // Closed: what it reads still answers its caller, but nothing starts watching again.
    if (!watching && closing === undefined) startWatching();
    const state = entries.peek(id);
    const answer = state === undefined ? undefined : served(state, now(), staleIfErrorMs);
    if (answer !== undefined) return answer;
    return withSignal(flights.get(id)?.promise ?? load(id, tenant, state, request?.callId), signal);
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
      const state = entries.peek(id);
      const next = state === undefined ? undefined : invalidated(state, key);
      if (next !== undefined) {
        entries.set(id, next);
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
    close(): Promise<void> {
      // Once, however many owners close it (a client that built it and a container that handed it out).
      closing ??= (async () => {
        unwatch?.();
        unwatch = undefined;
        entries.clear();
        flights.clear();
        await provider.close?.();
      })();
      return closing;
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

function ignore(): void {}

const ERROR_NAME = /^[A-Za-z][\w$]{0,63}$/;
const ERROR_CODE = /^[\w.-]{1,64}$/;

/**
 * What a `key:stale` event says of the error that made the cache serve the last key. oncekey's errors are written
 * never to hold a key; any other error's message may quote what the source read (`JSON.parse` of a value that
 * became the bare key quotes its start), so only its class and code are named.
 */
function describeSourceError(error: unknown): string {
  if (OnceKeyError.is(error)) return error.message;
  const { name, code } = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
  };
  const kind = typeof name === "string" && ERROR_NAME.test(name) ? name : typeof error;
  const detail = typeof code === "string" && ERROR_CODE.test(code) ? ` (${code})` : "";
  return `The source failed with ${/^[AEIOU]/i.test(kind) ? "an" : "a"} ${kind}${detail}; its message is not repeated, as it may quote what the source read.`;
}

function typeName(value: unknown): string {
  return value === null ? "null" : typeof value;
}
