/** One of this process's requests in a window budget: when it holds its slot from (`performance.now()`). */
export interface OwnEntry {
  time: number;
  readonly member: string;
}

/**
 * This process's own requests of one window budget over the last hold, taken through Redis or from its local
 * share: what its share counts against when Redis is unreachable, and what it writes back when Redis returns.
 */
export class OwnWindow {
  #entries: OwnEntry[] = [];
  #head = 0;

  constructor(readonly holdMs: number) {}

  /** Its requests still in the window. */
  count(now: number): number {
    this.#expire(now);
    return this.#entries.length - this.#head;
  }

  add(member: string, now: number): OwnEntry {
    this.#expire(now);
    const entry = { time: now, member };
    this.#entries.push(entry);
    return entry;
  }

  /** The request's answer came back at `now`: it holds its slot from then. */
  move(entry: OwnEntry, now: number): void {
    const index = this.#entries.indexOf(entry, this.#head);
    if (index === -1) return;
    this.#entries.splice(index, 1);
    entry.time = now;
    this.#entries.push(entry);
  }

  remove(entry: OwnEntry): void {
    const index = this.#entries.indexOf(entry, this.#head);
    if (index !== -1) this.#entries.splice(index, 1);
  }

  /** When the oldest request frees a slot, in ms from now. */
  oldestFreesInMs(now: number): number {
    this.#expire(now);
    const oldest = this.#entries[this.#head];
    return oldest === undefined ? 0 : Math.max(1, Math.ceil(oldest.time + this.holdMs - now));
  }

  entries(now: number): readonly OwnEntry[] {
    this.#expire(now);
    return this.#entries.slice(this.#head);
  }

  #expire(now: number): void {
    const entries = this.#entries;
    const oldest = now - this.holdMs;
    while (this.#head < entries.length && (entries[this.#head] as OwnEntry).time <= oldest) this.#head++;
    if (this.#head === entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
