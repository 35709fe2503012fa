/** One of this process's requests in a window budget: when it holds its slot from (`performance.now()`). */
export interface OwnEntry {
  time: number;
  readonly member: string;
  /** Its request never left. */
  removed: boolean;
  /** Out of the window, no longer counted. */
  gone: boolean;
}

/**
 * This process's own requests of one window budget over the last hold, taken through Redis or from its local
 * share: what its share counts against when Redis is unreachable, and what it writes back when Redis returns.
 *
 * Every change is O(1): an entry moved later (its answer came back) keeps its place in the list, and a removed
 * one is only marked, so an entry behind a moved one may be counted a little longer than its window: the count
 * errs on the safe side, never low.
 */
export class OwnWindow {
  #entries: OwnEntry[] = [];
  #head = 0;
  /** Entries from the head on that are not removed. */
  #live = 0;

  constructor(readonly holdMs: number) {}

  /** Its requests still in the window. */
  count(now: number): number {
    this.#expire(now);
    return this.#live;
  }

  add(member: string, now: number): OwnEntry {
    this.#expire(now);
    const entry = { time: now, member, removed: false, gone: false };
    this.#entries.push(entry);
    this.#live++;
    return entry;
  }

  /** The request's answer came back at `now`: it holds its slot from then. */
  move(entry: OwnEntry, now: number): void {
    if (!entry.removed && !entry.gone && now > entry.time) entry.time = now;
  }

  /** The request never left: its slot is free. */
  remove(entry: OwnEntry): void {
    if (entry.removed || entry.gone) return;
    entry.removed = true;
    this.#live--;
  }

  /** When the oldest request frees a slot, in ms from now. */
  oldestFreesInMs(now: number): number {
    this.#expire(now);
    const oldest = this.#entries[this.#head];
    return oldest === undefined ? 0 : Math.max(1, Math.ceil(oldest.time + this.holdMs - now));
  }

  /** Its requests still in the window. */
  entries(now: number): readonly OwnEntry[] {
    this.#expire(now);
    return this.#entries.slice(this.#head).filter((entry) => !entry.removed);
  }

  #expire(now: number): void {
    const entries = this.#entries;
    const oldest = now - this.holdMs;
    while (this.#head < entries.length) {
      const entry = entries[this.#head] as OwnEntry;
      if (!entry.removed && entry.time > oldest) break;
      if (!entry.removed) this.#live--;
      entry.gone = true;
      this.#head++;
    }
    if (this.#head === entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
