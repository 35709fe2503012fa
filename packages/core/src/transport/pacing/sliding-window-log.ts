/** One request in the log: when it holds its slot from (`performance.now()` time). */
export interface LogEntry {
  time: number;
}

/**
 * A sliding-window log: at most `requests` entries younger than `holdMs`. Unlike a token bucket of the same
 * average rate, it can never let more than `requests` go in any window of that length, which is what a server
 * counting a sliding window (OnceHub's 200 requests per 5 minutes per IP) enforces: a bucket with a burst of 200
 * would allow nearly 400 in one window.
 *
 * Each entry holds its slot until its request's answer came back (`answered` moves it there): the server counted
 * the request at some moment before that, so however late it arrived (a new connection's handshake, a busy
 * server), no request of the next window can arrive inside its own. Entries stay sorted by time: a moved entry
 * goes to the end, being the latest.
 */
export class SlidingWindowLog {
  readonly #requests: number;
  readonly #holdMs: number;
  #entries: LogEntry[] = [];
  #head = 0;

  /**
   * @param requests - The most requests in any window.
   * @param holdMs - How long a request holds its slot: the window and a margin for the jitter between the
   *   client's clock and the server's view of arrivals.
   */
  constructor(requests: number, holdMs: number) {
    this.#requests = requests;
    this.#holdMs = holdMs;
  }

  /** Requests in the current window. */
  count(now: number): number {
    this.#expire(now);
    return this.#entries.length - this.#head;
  }

  /** Takes a slot if one is free; returns its entry, or undefined. */
  tryTake(now: number): LogEntry | undefined {
    if (this.count(now) >= this.#requests) return undefined;
    const entry = { time: now };
    this.#entries.push(entry);
    return entry;
  }

  /** Records a request whether or not a slot is free (a request that left through another path). */
  record(now: number): LogEntry {
    this.#expire(now);
    const entry = { time: now };
    this.#entries.push(entry);
    return entry;
  }

  /**
   * In how many ms the `ahead + 1`-th slot frees, counting from `now` (0 when one is free now): the time each
   * entry leaves the window is known exactly; past the log's end, at the average rate.
   */
  nextTakeInMs(now: number, ahead = 0): number {
    const live = this.count(now);
    const index = live - this.#requests + ahead;
    if (index < 0) return 0;
    if (index < live) {
      const entry = this.#entries[this.#head + index] as LogEntry;
      return Math.max(1, Math.ceil(entry.time + this.#holdMs - now));
    }
    const rounds = Math.floor(index / this.#requests);
    const last = this.#entries[this.#entries.length - 1] as LogEntry;
    return Math.max(1, Math.ceil(last.time + (rounds + 1) * this.#holdMs - now));
  }

  /** The answer to the request of `entry` came back at `now`: it holds its slot from then on. */
  answered(entry: LogEntry, now: number): void {
    if (now - entry.time < 1) return;
    const index = this.#entries.indexOf(entry, this.#head);
    if (index === -1) return;
    this.#entries.splice(index, 1);
    entry.time = now;
    this.#entries.push(entry);
  }

  /** The request of `entry` never reached the wire: its slot is free again. */
  abandoned(entry: LogEntry): void {
    const index = this.#entries.indexOf(entry, this.#head);
    if (index !== -1) this.#entries.splice(index, 1);
  }

  /** Every entry's time, oldest first. */
  times(now: number): number[] {
    this.#expire(now);
    return this.#entries.slice(this.#head).map((entry) => entry.time);
  }

  /** True when no entry is in the window, so dropping the log loses nothing. */
  isIdle(now: number): boolean {
    return this.count(now) === 0;
  }

  #expire(now: number): void {
    const entries = this.#entries;
    const oldest = now - this.#holdMs;
    while (this.#head < entries.length && (entries[this.#head] as LogEntry).time <= oldest) this.#head++;
    if (this.#head === entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
