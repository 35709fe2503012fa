import { LRUCache } from "lru-cache";
import type { ApiKey } from "../key/api-key.js";
import type { CacheEntry, EntryId } from "./cache-entry.js";

/** What the LRU holds for a tenant: the promise a fresh, never-expiring entry serves, or the entry itself. */
type Slot = CacheEntry | Promise<ApiKey>;

/** The slot an entry takes: its promise while it is served as is until a change, else the entry. */
const slotOf = (entry: CacheEntry): Slot =>
  entry.resolved !== undefined && entry.expiresAt === Infinity ? entry.resolved : entry;

/**
 * The entries of `cached` by tenant, within an LRU bound.
 *
 * A hit must stay nearly as cheap with 10,000 tenants as with one, and at that size lookups are bound by memory
 * latency: each object a hit reads is a likely cache miss. So an entry that is served as is until a change (no
 * TTL, not due) sits in the LRU as the very promise it serves, and a hit reads that promise only; every other
 * entry sits there as itself and is checked against the clock. All entries are also filed in a plain map for the
 * slower paths (loads, invalidations, changes), which the LRU's evictions keep in step.
 *
 * Whoever changes an entry in place calls {@link CacheEntries.changed}, so that an entry that became due leaves
 * the fast form.
 *
 * "No key for this tenant" entries live in a room of their own, bounded apart, so a flood of made-up tenant ids
 * can push out other unknown ids but never a real key.
 *
 * @example
 * ```ts
 * const entries = new CacheEntries(10_000, 1_000);
 * entries.set("acme", entry);
 * const served = entries.hit("acme", Date.now); // the promise while the entry is fresh
 * ```
 */
export class CacheEntries {
  readonly #slots: LRUCache<EntryId, Slot>;
  readonly #entries = new Map<EntryId, CacheEntry>();
  /** Tenants without a key, remembered for a while, apart from real keys. */
  readonly #unknown: LRUCache<EntryId, CacheEntry>;

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
    this.#unknown = new LRUCache<EntryId, CacheEntry>({ max: maxUnknownTenants });
  }

  /**
   * The promise to serve when the entry of `id` is fresh, else `undefined`; counts as a use of the entry.
   *
   * @param now - The clock, read only for an entry with a TTL.
   */
  hit(id: EntryId, now: () => number): Promise<ApiKey> | undefined {
    const slot = this.#slots.get(id);
    if (slot === undefined || slot instanceof Promise) return slot;
    return slot.resolved !== undefined && slot.expiresAt > now() ? slot.resolved : undefined;
  }

  /** The entry of `id`, without counting a use. */
  peek(id: EntryId): CacheEntry | undefined {
    return this.#entries.get(id) ?? this.#unknown.peek(id);
  }

  /**
   * Files `entry` under `id` as the most recently used, evicting the least recently used past the bound: an entry
   * that remembers "not found" among the unknown tenants, any other among the tenants with a key.
   */
  set(id: EntryId, entry: CacheEntry): void {
    if (entry.notFound === undefined) {
      this.#unknown.delete(id);
      this.#entries.set(id, entry);
      this.#slots.set(id, slotOf(entry));
    } else {
      this.#slots.delete(id);
      this.#unknown.set(id, entry);
    }
  }

  /** Takes note of a change made in place to `entry`: one that became due leaves the fast form. */
  changed(id: EntryId, entry: CacheEntry): void {
    if (this.#entries.get(id) !== entry) return;
    const slot = slotOf(entry);
    if (this.#slots.peek(id) !== slot) this.#slots.set(id, slot);
  }

  /**
   * Calls `visit` on every entry of a tenant with a key, least recently used first, so that the changes it reports
   * keep the order of use.
   */
  forEach(visit: (id: EntryId, entry: CacheEntry) => void): void {
    for (const id of [...this.#slots.rkeys()]) {
      const entry = this.#entries.get(id);
      if (entry !== undefined) visit(id, entry);
    }
  }

  /** Drops every entry. */
  clear(): void {
    this.#slots.clear();
    this.#entries.clear();
    this.#unknown.clear();
  }
}
