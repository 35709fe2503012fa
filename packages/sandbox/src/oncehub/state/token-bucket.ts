/**
 * A token bucket: `burst` tokens, refilled at `ratePerSecond`; one request takes one token.
 *
 * A token bucket, not a sliding window, because that is what a well-behaved client paces with: a client that
 * sends `burst` requests and then one every `1 / rate` seconds never sees a 429. `toleranceMs` forgives that much
 * network jitter: requests that conform at the client but arrive up to `toleranceMs` bunched together conform to a
 * bucket `rate * toleranceMs` tokens deeper, so a request passes while the bucket holds at least
 * `1 - rate * toleranceMs` tokens (it may go that far below zero).
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  readonly #floor: number;
  #tokens: number;
  #last: number;

  constructor(ratePerSecond: number, burst: number, toleranceMs: number, now: number) {
    this.#rate = ratePerSecond / 1000;
    this.#burst = burst;
    this.#floor = 1 - this.#rate * toleranceMs;
    this.#tokens = burst;
    this.#last = now;
  }

  /** Takes a token at time `now` (ms); returns 0 when granted, else the ms until one is available. */
  take(now: number): number {
    const elapsed = now - this.#last;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#rate);
      this.#last = now;
    }
    if (this.#tokens >= this.#floor) {
      this.#tokens -= 1;
      return 0;
    }
    // The epsilon keeps float drift (0.995 tokens at 5/s) from rounding 1 ms up to 2.
    return Math.max(1, Math.ceil((this.#floor - this.#tokens) / this.#rate - 1e-9));
  }
}
