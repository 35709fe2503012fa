/**
 * A set that forgets its oldest entries past `max`, so per-file bookkeeping stays bounded however many tenants
 * come and go.
 */
export class BoundedSet<T> {
  readonly #items = new Set<T>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  has(item: T): boolean {
    return this.#items.has(item);
  }

  /** Adds `item` (or refreshes it as the newest); returns whether it was new. */
  add(item: T): boolean {
    const known = this.#items.delete(item);
    this.#items.add(item);
    if (this.#items.size > this.#max) {
      const oldest = this.#items.values().next();
      if (oldest.done !== true) this.#items.delete(oldest.value);
    }
    return !known;
  }
}
