import { KeyNotFoundError } from "../errors/key-not-found-error.js";
import { OnceKeyError } from "../errors/once-key-error.js";
import type { ApiKey } from "../key/api-key.js";

/** Why the next load of a tenant's key happens, as `key:loaded` reports it. */
export type LoadReason = "initial" | "expired" | "changed" | "invalidated";

/** A key that is served as is: until `expiresAt` (`Infinity`: until a change, a rejection or a failure). */
export interface FreshState {
  readonly kind: "fresh";
  readonly key: ApiKey;
  /** `Promise.resolve(key)`, made once so a hit allocates nothing. */
  readonly resolved: Promise<ApiKey>;
  readonly expiresAt: number;
}

/** A key the source reported changed: served no more, the next read reloads. */
export interface DueState {
  readonly kind: "due";
  readonly key: ApiKey;
  /** When it became due, for the stale-if-error bound. */
  readonly dueAt: number;
}

/** The last good key, served while the source fails transiently; the source is asked again from `retryAt`. */
export interface StaleState {
  readonly kind: "stale";
  readonly key: ApiKey;
  readonly resolved: Promise<ApiKey>;
  readonly dueAt: number;
  readonly retryAt: number;
  /** Why it became due, for the next `key:loaded`. */
  readonly reason: LoadReason;
}

/** The source has no key for the tenant: remembered until `until`, so unknown tenants cannot hammer it. */
export interface NotFoundState {
  readonly kind: "not-found";
  readonly error: OnceKeyError;
  readonly until: number;
  /** The last key served, for `key:rotated` when one is found again. */
  readonly previous: ApiKey | undefined;
}

/** No key to serve: OnceHub rejected it, or a reload failed past what stale-if-error allows. */
export interface EmptyState {
  readonly kind: "empty";
  readonly previous: ApiKey;
  readonly reason: LoadReason;
}

/**
 * What `cached` knows of one tenant, as one of five states. Each is an immutable value: a transition makes a new
 * one, and every transition is a function of this module, so the rules of the cache read in one place.
 *
 * ```
 *              load ok                change (watch)            reload fails, transient, within bound
 *   (none) ────────────▶ fresh ───────────────────▶ due ──────────────────────────────────────────▶ stale
 *                          │  TTL passes: due too    │                                                 │
 *                          │                         └─ reload fails otherwise ─▶ empty ◀──────────────┘
 *                          └─ invalidate(key) ─────────────────────────────────▶ empty   (past the bound)
 *   any read: "not found" ─▶ not-found (until notFoundTtlMs passes)
 * ```
 *
 * @example
 * ```ts
 * let state = loaded(key, now, { expiresAt: Infinity, changed: false });
 * state = changed(state, now) ?? state; // the source reported a change: due
 * ```
 */
export type CacheState = FreshState | DueState | StaleState | NotFoundState | EmptyState;

/** The state after a successful read: fresh, or due at once when the source changed while it was read. */
export function loaded(key: ApiKey, at: number, expiresAt: number, changedDuringRead: boolean): CacheState {
  return changedDuringRead
    ? { kind: "due", key, dueAt: at }
    : { kind: "fresh", key, resolved: Promise.resolve(key), expiresAt };
}

/** The state after the source reported a change, or `undefined` when the state holds no key to reload. */
export function changed(state: CacheState, at: number): CacheState | undefined {
  switch (state.kind) {
    case "fresh":
      return { kind: "due", key: state.key, dueAt: Math.min(at, state.expiresAt) };
    case "stale":
      // Ask the source at once: it says it changed.
      return { ...state, retryAt: 0 };
    default:
      return undefined;
  }
}

/** The state after OnceHub rejected `key`, or `undefined` when the state does not hold that very key. */
export function invalidated(state: CacheState, key: ApiKey): CacheState | undefined {
  if (heldKey(state) !== key) return undefined;
  return { kind: "empty", previous: key, reason: "invalidated" };
}

/** What decides how a failed reload ends. */
export interface FailurePolicy {
  readonly staleIfErrorMs: number;
  readonly retryAfterErrorMs: number;
  readonly notFoundTtlMs: number;
}

/**
 * The state after a reload failed with `error`, from `state` (the one the reload started from, still held):
 *
 * - a transient error while a key is held and it became due at most `staleIfErrorMs` ago: stale, serving it;
 * - "not found" (when remembered at all): not-found until `notFoundTtlMs` passes;
 * - anything else while a key is held: empty, the key no longer served;
 * - otherwise `undefined`: nothing to change.
 */
export function failed(
  state: CacheState | undefined,
  error: unknown,
  at: number,
  policy: FailurePolicy,
): CacheState | undefined {
  const key = state === undefined ? undefined : heldKey(state);
  const due = state === undefined ? Infinity : dueAt(state);
  if (
    key !== undefined &&
    policy.staleIfErrorMs > 0 &&
    at - due <= policy.staleIfErrorMs &&
    isTransient(error)
  ) {
    return {
      kind: "stale",
      key,
      resolved: state?.kind === "stale" ? state.resolved : Promise.resolve(key),
      dueAt: due,
      retryAt: at + policy.retryAfterErrorMs,
      reason: state === undefined ? "initial" : loadReason(state, at),
    };
  }
  if (KeyNotFoundError.is(error) && policy.notFoundTtlMs > 0) {
    return {
      kind: "not-found",
      error,
      until: at + policy.notFoundTtlMs,
      previous: state === undefined ? undefined : lastKey(state),
    };
  }
  if (key !== undefined && state !== undefined) {
    return { kind: "empty", previous: key, reason: loadReason(state, at) };
  }
  return undefined;
}

/**
 * What a read is served from the state without asking the source: the key, the remembered "not found", or
 * `undefined` when the source must be read.
 */
export function served(state: CacheState, at: number, staleIfErrorMs: number): Promise<ApiKey> | undefined {
  switch (state.kind) {
    case "fresh":
      return state.expiresAt > at ? state.resolved : undefined;
    case "stale":
      return state.retryAt > at && at - state.dueAt <= staleIfErrorMs ? state.resolved : undefined;
    case "not-found":
      return state.until > at ? Promise.reject(state.error) : undefined;
    default:
      return undefined;
  }
}

/** Why the next load from this state happens. */
export function loadReason(state: CacheState, at: number): LoadReason {
  switch (state.kind) {
    case "fresh":
      return state.expiresAt > at ? "changed" : "expired";
    case "due":
      return "changed";
    case "stale":
    case "empty":
      return state.reason;
    case "not-found":
      return "initial";
  }
}

/** The key the state serves or served last, for `key:rotated`. */
export function lastKey(state: CacheState): ApiKey | undefined {
  return state.kind === "empty" || state.kind === "not-found" ? state.previous : state.key;
}

/** The key the state holds (fresh, due or stale), or `undefined`. */
function heldKey(state: CacheState): ApiKey | undefined {
  return state.kind === "fresh" || state.kind === "due" || state.kind === "stale" ? state.key : undefined;
}

/** When the held key became due: a TTL's expiry, a change, or the start of a stale period. */
function dueAt(state: CacheState): number {
  switch (state.kind) {
    case "fresh":
      return state.expiresAt;
    case "due":
    case "stale":
      return state.dueAt;
    default:
      return Infinity;
  }
}

/** Whether a failed reload may be bridged with the last good key: oncekey's own say; any other error may pass. */
function isTransient(error: unknown): boolean {
  return OnceKeyError.is(error) ? error.transient : true;
}
