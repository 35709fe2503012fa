import type { OnceKeyError } from "../errors/once-key-error.js";
import type { ApiKey } from "../key/api-key.js";

/** Why the next load of an entry happens, as `key:loaded` reports it. */
export type LoadReason = "initial" | "expired" | "changed" | "invalidated";

/** The id of the single-tenant entry: a symbol, so no tenant string, valid or not, can reach it. */
export const NO_TENANT: unique symbol = Symbol("no tenant");

/** What a cache entry is filed under: the tenant id, or {@link NO_TENANT}. */
export type EntryId = string | typeof NO_TENANT;

/**
 * What `cached` knows of one tenant.
 *
 * @example
 * ```ts
 * const entry: CacheEntry = { key, resolved: Promise.resolve(key), expiresAt: Infinity, dueAt: Infinity,
 *   reason: "expired", previous: undefined, retryAt: 0, notFound: undefined, notFoundUntil: 0 };
 * ```
 */
export interface CacheEntry {
  /** The key to serve; undefined after an invalidation or for a tenant without key. */
  key: ApiKey | undefined;
  /** `Promise.resolve(key)`, made once so a hit allocates nothing. */
  resolved: Promise<ApiKey> | undefined;
  /** When the key is due for a reload: `Infinity` never, `-Infinity` at once. */
  expiresAt: number;
  /** When the key became due, for the stale-if-error bound. */
  dueAt: number;
  /** Why the next load happens. */
  reason: LoadReason;
  /** The last key served, for `key:rotated`. */
  previous: ApiKey | undefined;
  /** While serving stale, the source is not asked again before this time. */
  retryAt: number;
  /** "Not found", remembered until `notFoundUntil`. */
  notFound: OnceKeyError | undefined;
  notFoundUntil: number;
}
