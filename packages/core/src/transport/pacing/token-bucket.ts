/** Float drift must not turn a whole token into 0.9999999. */
const EPSILON = 1e-9;

/**
 * A token bucket: a request takes a token when one is free; tokens refill at the rate, up to the burst. The queue
 * of callers waiting for a token is the scheduler's ({@link PacingScheduler}), which asks {@link nextTakeInMs}
 * when to try again.
 *
 * Tokens are counted when a request is released, never booked ahead: after an event-loop stall the bucket holds
 * at most `burst` tokens, so at most `burst` requests leave together, as a server-side bucket of the same size
 * expects.
 *
 * A server counts a request when it arrives, and a released request may wait for a connection first (a cold
 * pool's handshakes, a busy one). So while requests released earlier have not reached the wire (`started` or
 * `abandoned` not called yet), a token that refilled since is not handed out: the new request could arrive
 * together with them. Their lateness, once known, moves the schedule (`shift`).
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;
  readonly #perMs: number;
  readonly #burst: number;
  /** Requests released that have not reached the wire yet. */
  #unstarted = 0;
  /**
   * While released requests have not reached the wire: how many more may go of the tokens the bucket held when
   * the first of them went. A token refilled since is not among them.
   */
  #burstLeft = 0;
  /**
   * After a successful `tryTake`: how much later than now the request may reach the server without moving a
   * server-side bucket's schedule (0 for the first request after a pause, more within a burst).
   */
  slackMs = 0;
  /** The total of every `shift`, so the lag a shift already covered is not counted twice. */
  shiftedMs = 0;

  /**
   * @param requestsPerSecond - Sustained rate.
   * @param burst - Tokens a full bucket holds.
   * @param now - The current time (`performance.now()`).
   */
  constructor(requestsPerSecond: number, burst: number, now: number) {
    this.#perMs = requestsPerSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  /** Takes a token if one may go now; otherwise returns false and takes nothing. */
  tryTake(now: number): boolean {
    this.#refill(now);
    if (!this.#available()) return false;
    this.slackMs = this.#take();
    return true;
  }

  /**
   * When a `tryTake` could succeed, in ms from `now`: 0 when it would now, the refill time of the next token, or
   * `Infinity` while a token is there but held for requests not on the wire yet (their `started` or `abandoned`
   * frees it).
   */
  nextTakeInMs(now: number): number {
    this.#refill(now);
    if (this.#available()) return 0;
    if (this.#tokens >= 1 - EPSILON) return Infinity;
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.#perMs));
  }

  /** A request this bucket released reached the wire. */
  started(): void {
    if (this.#unstarted > 0) this.#unstarted--;
  }

  /** A request this bucket released ended without reaching the wire (aborted, no connection). */
  abandoned(): void {
    if (this.#unstarted > 0) this.#unstarted--;
  }

  /** The estimated wait, in ms, of the caller with `ahead` callers before it in the queue. */
  estimateWait(now: number, ahead = 0): number {
    this.#refill(now);
    return Math.max(0, Math.ceil((ahead + 1 - this.#tokens) / this.#perMs));
  }

  /**
   * Removes `ms` worth of tokens: a request reached the wire that much later than its slack allowed (a new
   * connection's handshake, a busy event loop), which moved a server-side bucket's schedule as much.
   */
  shift(ms: number): void {
    this.#tokens -= ms * this.#perMs;
    this.shiftedMs += ms;
  }

  /** Empties the bucket: the server said the rate was exceeded (other processes share the key). */
  drain(now: number): void {
    this.#refill(now);
    if (this.#tokens > 0) this.#tokens = 0;
  }

  /** True when the bucket is full and no request it released is short of the wire, so dropping it loses nothing. */
  isIdle(now: number): boolean {
    this.#refill(now);
    return this.#unstarted === 0 && this.#tokens >= this.#burst - EPSILON;
  }

  /** Takes a token (the bucket holds one) and returns the slack of the request it lets go. */
  #take(): number {
    const slack = (this.#burst - this.#tokens) / this.#perMs;
    this.#burstLeft = this.#unstarted === 0 ? Math.floor(this.#tokens + EPSILON) - 1 : this.#burstLeft - 1;
    this.#tokens -= 1;
    this.#unstarted++;
    return slack;
  }

  /** Whether a token may go now: one is there, and it is not a refill while released requests wait for the wire. */
  #available(): boolean {
    return this.#tokens >= 1 - EPSILON && (this.#unstarted === 0 || this.#burstLeft > 0);
  }

  #refill(now: number): void {
    const elapsed = now - this.#updatedAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
      this.#updatedAt = now;
    }
  }
}
