import { LRUCache } from "lru-cache";
import type { ApiKey } from "../key/api-key.js";
import type { CacheState } from "./cache-state.js";

/** The id of the single-tenant entry: a symbol, so no tenant string, valid or not, can reach it. */
export const NO_TENANT: unique symbol = Symbol("no tenant");

/** What an entry is filed under: the tenant id, or {@link NO_TENANT}. */
export type EntryId = string | typeof NO_TENANT;

/** What the LRU holds for a tenant: the promise a fresh, never-expiring state serves, or the state itself. */
type Slot = CacheState | Promise<ApiKey>;

/** The slot a state takes: its promise while it is served as is until a change, else the state. */
const slotOf = (state: CacheState): Slot =>
  state.kind === "fresh" && state.expiresAt === Infinity ? state.resolved : state;

/**
 * The states of `cached` by tenant ({@link CacheState}), within an LRU bound.
 *
 * A hit must stay nearly as cheap with 10,000 tenants as with one, and at that size lookups are bound by memory
 * latency: each object a hit reads is a likely cache miss. So a state that is served as is until a change (fresh,
 * no TTL) sits in the LRU as the very promise it serves, and a hit reads that promise only; every other state
 * sits there as itself and is checked against the clock. All states are also filed in a plain map for the slower
 * paths (loads, invalidations, changes), which the LRU's evictions keep in step. States are immutable: a change is
 * a {@link CacheEntries.set} of the new one, which also moves it between the two forms.
 *
 * "Not found" states live in a room of their own, bounded apart, so a flood of made-up tenant ids can push out
 * other unknown ids but never a real key.
 *
 * @example
 * ```ts
 * const entries = new CacheEntries(10_000, 1_000);
 * entries.set("acme", loaded(key, Date.now(), Infinity, false));
 * const served = entries.hit("acme", Date.now); // the promise while the state is fresh
 * ```
 */
export class CacheEntries {
  readonly #slots: LRUCache<EntryId, Slot>;
  readonly #entries = new Map<EntryId, CacheState>();
  /** Tenants without a key, remembered for a while, apart from real keys. */
  readonly #unknown: LRUCache<EntryId, CacheState>;

  /**
   * @param maxTenants - How many tenants with a key are kept; the least recently used goes first.
   * @param maxUnknownTenants - How many tenants without a key are remembered, apart.
   */
  constructor(maxTenants: number, maxUnknownTenants: number) {
    this.#slots = new LRUCache<EntryId, Slot>({
      max: maxTenants,
      // "set" is a slot replaced under the same id: the entry stays filed.
      dispose: (_slot, id, reason) => {
        if (reason !== "set") this.#entries.delete(id);
      },
    });
    this.#unknown = new LRUCache<EntryId, CacheState>({ max: maxUnknownTenants });
  }

  /**
   * The promise to serve when the state of `id` is fresh, else `undefined`; counts as a use of the entry.
   *
   * @param now - The clock, read only for a state with a TTL.
   */
  hit(id: EntryId, now: () => number): Promise<ApiKey> | undefined {
    const slot = this.#slots.get(id);
    if (slot === undefined || slot instanceof Promise) return slot;
    return slot.kind === "fresh" && slot.expiresAt > now() ? slot.resolved : undefined;
  }

  /** The state of `id`, without counting a use. */
  peek(id: EntryId): CacheState | undefined {
    return this.#entries.get(id) ?? this.#unknown.peek(id);
  }

  /**
   * Files `state` under `id` as the most recently used, evicting the least recently used past the bound: a
   * "not found" among the unknown tenants, any other among the tenants with a key.
   */
  set(id: EntryId, state: CacheState): void {
    if (state.kind !== "not-found") {
      this.#unknown.delete(id);
      this.#entries.set(id, state);
      this.#slots.set(id, slotOf(state));
    } else {
      this.#slots.delete(id);
      this.#unknown.set(id, state);
    }
  }

  /**
   * Calls `visit` on every entry of a tenant with a key, least recently used first, so that the changes it reports
   * keep the order of use.
   */
  forEach(visit: (id: EntryId, state: CacheState) => void): void {
    for (const id of [...this.#slots.rkeys()]) {
      const state = this.#entries.get(id);
      if (state !== undefined) visit(id, state);
    }
  }

  /** Drops every entry. */
  clear(): void {
    this.#slots.clear();
    this.#entries.clear();
    this.#unknown.clear();
  }
}
