/**
 * A token bucket that hands out reservations: `reserve()` takes a token now or books the next free one and says
 * how long to wait for it, so concurrent callers queue in order instead of all retrying at once.
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;
  readonly #perMs: number;
  readonly #burst: number;

  /**
   * @param requestsPerSecond - Sustained rate.
   * @param burst - Tokens a full bucket holds.
   * @param now - The clock's current time, in ms.
   */
  constructor(requestsPerSecond: number, burst: number, now: number) {
    this.#perMs = requestsPerSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  /** Takes a token and returns 0, or books the next one and returns the wait in ms. */
  reserve(now: number): number {
    this.#refill(now);
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens / this.#perMs);
  }

  /** Gives back a reservation that will not be used (its caller gave up). */
  refund(now: number): void {
    this.#refill(now);
    this.#tokens = Math.min(this.#burst, this.#tokens + 1);
  }

  /** Empties the bucket: the server said the rate was exceeded (other processes share the key). */
  drain(now: number): void {
    this.#refill(now);
    if (this.#tokens > 0) this.#tokens = 0;
  }

  /** True when the bucket is full, so dropping it loses nothing. */
  isFull(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= this.#burst;
  }

  #refill(now: number): void {
    const elapsed = now - this.#updatedAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
      this.#updatedAt = now;
    }
  }
}
