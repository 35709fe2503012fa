/**
 * What a log of one server's traffic offers a test: a copy of its entries, a count by fields, the newest one.
 *
 * @typeParam T - One entry.
 * @example
 * ```ts
 * expect(sandbox.requests.count({ status: 429 })).toBe(0);
 * expect(vault.calls.last()).toMatchObject({ secret: "acme", status: 200 });
 * ```
 */
export interface BoundedLogView<T> {
  /** A copy of the entries, oldest first. */
  all(): T[];
  /**
   * How many entries match every field given in `filter` (compared with `===`).
   * @example `sandbox.requests.count({ fingerprint: keyFingerprint(oldKey), status: 401 })`
   */
  count(filter?: Partial<T>): number;
  /** The newest entry. */
  last(): T | undefined;
  /** Forgets every entry. */
  clear(): void;
  /** How many entries are held. */
  readonly size: number;
  /** How many of the oldest entries were dropped to stay within the bound. */
  readonly dropped: number;
}

/**
 * An append-only log that keeps at most `limit` entries, dropping the oldest, so a long benchmark cannot exhaust
 * memory. Both the OnceHub sandbox's request log and the fake Key Vault's call log are one.
 *
 * @example
 * ```ts
 * const log = new BoundedLog<{ status: number }>(100_000);
 * log.record({ status: 200 });
 * log.count({ status: 200 }); // 1
 * ```
 */
export class BoundedLog<T extends object> implements BoundedLogView<T> {
  #entries: T[] = [];
  #dropped = 0;
  readonly #limit: number;
  // Trimming in batches keeps `record` amortized O(1) instead of shifting the array on every entry.
  readonly #slack: number;

  constructor(limit: number) {
    this.#limit = limit;
    this.#slack = Math.max(1, Math.ceil(limit / 8));
  }

  record(entry: T): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit + this.#slack) this.#trim();
  }

  all(): T[] {
    this.#trim();
    return this.#entries.slice();
  }

  count(filter: Partial<T> = {}): number {
    this.#trim();
    const fields = Object.keys(filter) as (keyof T)[];
    let matching = 0;
    for (const entry of this.#entries)
      if (fields.every((field) => entry[field] === filter[field])) matching++;
    return matching;
  }

  last(): T | undefined {
    return this.#entries[this.#entries.length - 1];
  }

  clear(): void {
    this.#entries = [];
    this.#dropped = 0;
  }

  get size(): number {
    return Math.min(this.#entries.length, this.#limit);
  }

  get dropped(): number {
    return this.#dropped + Math.max(0, this.#entries.length - this.#limit);
  }

  #trim(): void {
    const excess = this.#entries.length - this.#limit;
    if (excess > 0) {
      this.#entries.splice(0, excess);
      this.#dropped += excess;
    }
  }
}
