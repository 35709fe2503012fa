/** The send times of a key's last accepted requests, in a ring of `requests` slots. */
interface RequestTimes {
  readonly times: Float64Array;
  /** The slot the next accepted request goes to; once the ring is full, the oldest time's slot. */
  next: number;
  size: number;
}

/** Past this many keys, keys whose window has emptied are forgotten before another is added. */
const PRUNE_AT = 1_024;

/**
 * At most `requests` requests in any `windowMs` milliseconds, per key (a sliding log): a request passes when
 * fewer than `requests` requests of its key passed in the `windowMs` before it, that is when the `requests`-th
 * previous one passed at least `windowMs` ago. Refused requests are not counted.
 *
 * A sliding window rather than fixed windows, because it is the strictest reading of "N requests per window"
 * (fixed windows let 2N through around a window's edge), so a client that never exceeds it never exceeds a
 * fixed-window server either. Memory is `requests` numbers per key.
 *
 * @example
 * ```ts
 * const limit = new SlidingWindowLimit(200, 300_000);
 * limit.take("127.0.0.1", performance.now()); // 0: passed; else the ms until a request would pass
 * ```
 */
export class SlidingWindowLimit {
  readonly #requests: number;
  readonly #windowMs: number;
  readonly #keys = new Map<string, RequestTimes>();

  /**
   * @param requests - how many requests a window admits, at least 1
   * @param windowMs - the window's length in milliseconds, more than 0
   */
  constructor(requests: number, windowMs: number) {
    this.#requests = requests;
    this.#windowMs = windowMs;
  }

  /**
   * Admits a request of `key` at time `now` (ms, from a clock that never goes back), or refuses it.
   *
   * @returns 0 when admitted (and counted); else the whole ms, at least 1, until a request of `key` would pass
   */
  take(key: string, now: number): number {
    const log = this.#keys.get(key) ?? this.#add(key, now);
    if (log.size < this.#requests) {
      log.times[log.next] = now;
      log.next = (log.next + 1) % this.#requests;
      log.size += 1;
      return 0;
    }
    const wait = (log.times[log.next] ?? 0) + this.#windowMs - now;
    if (wait > 0) return Math.max(1, Math.ceil(wait));
    log.times[log.next] = now;
    log.next = (log.next + 1) % this.#requests;
    return 0;
  }

  #add(key: string, now: number): RequestTimes {
    if (this.#keys.size >= PRUNE_AT) {
      for (const [other, log] of this.#keys) {
        const newest = log.times[(log.next + this.#requests - 1) % this.#requests] ?? 0;
        if (newest <= now - this.#windowMs) this.#keys.delete(other);
      }
    }
    const log: RequestTimes = { times: new Float64Array(this.#requests), next: 0, size: 0 };
    this.#keys.set(key, log);
    return log;
  }
}
