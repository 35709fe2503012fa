import { performance } from "node:perf_hooks";
import { MAX_TIMER_MS } from "../options/number-option.js";

/** A caller waiting for a token. */
interface Waiter {
  readonly resolve: (slackMs: number) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  done: boolean;
}

/** Float drift must not turn a whole token into 0.9999999. */
const EPSILON = 1e-9;

/**
 * A token bucket with a queue: a caller takes a token at once when one is free and nobody waits, else it queues
 * and one timer releases the queue in order as tokens refill.
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
  #queue: Waiter[] = [];
  #head = 0;
  /** Queued callers that have not given up. */
  #waiting = 0;
  /** Requests released that have not reached the wire yet. */
  #unstarted = 0;
  /**
   * While released requests have not reached the wire: how many more may go of the tokens the bucket held when
   * the first of them went. A token refilled since is not among them.
   */
  #burstLeft = 0;
  #timer: NodeJS.Timeout | undefined = undefined;
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

  /** Takes a token if one is free and nobody is queued; otherwise returns false and takes nothing. */
  tryTake(now: number): boolean {
    if (this.#head < this.#queue.length) return false;
    this.#refill(now);
    if (!this.#available()) return false;
    this.slackMs = this.#take();
    return true;
  }

  /** A request this bucket released reached the wire. */
  started(): void {
    this.#settle();
  }

  /** A request this bucket released ended without reaching the wire (aborted, no connection). */
  abandoned(): void {
    this.#settle();
  }

  /** The estimated wait, in ms, of a caller that would queue now. */
  estimateWait(now: number): number {
    this.#refill(now);
    const ahead = this.#queue.length - this.#head;
    return Math.max(0, Math.ceil((ahead + 1 - this.#tokens) / this.#perMs));
  }

  /**
   * Queues for a token; resolves when released, with the slack (see {@link TokenBucket.slackMs}), or rejects with
   * the signal's reason if it aborts first.
   */
  wait(signal: AbortSignal | undefined): Promise<number> {
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined, done: false };
      if (signal !== undefined) {
        waiter.onAbort = (): void => {
          if (waiter.done) return;
          waiter.done = true;
          if (--this.#waiting === 0) this.#clear();
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      this.#waiting++;
      this.#schedule(performance.now());
    });
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

  /** True when the bucket is full and nobody waits, so dropping it loses nothing. */
  isIdle(now: number): boolean {
    this.#refill(now);
    return (
      this.#timer === undefined &&
      this.#unstarted === 0 &&
      this.#head >= this.#queue.length &&
      this.#tokens >= this.#burst - EPSILON
    );
  }

  #schedule(now: number): void {
    if (this.#timer !== undefined) return;
    this.#refill(now);
    // A token is there but held for requests not on the wire yet: their `started` releases the queue.
    if (this.#tokens >= 1 - EPSILON && this.#unstarted > 0) return;
    // Capped: an overlong timer would fire at once, and the release re-arms it until a token is due.
    const delay = Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil((1 - this.#tokens) / this.#perMs)));
    this.#timer = setTimeout(this.#release, delay);
  }

  readonly #release = (): void => {
    this.#timer = undefined;
    this.#refill(performance.now());
    const queue = this.#queue;
    while (this.#head < queue.length && this.#available()) {
      const waiter = queue[this.#head++] as Waiter;
      if (waiter.done) continue;
      waiter.done = true;
      this.#waiting--;
      if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.resolve(this.#take());
    }
    while (this.#head < queue.length && (queue[this.#head] as Waiter).done) this.#head++;
    if (this.#head >= queue.length) {
      this.#queue = [];
      this.#head = 0;
      return;
    }
    if (this.#head > 1024) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
    this.#schedule(performance.now());
  };

  /** Nobody waits any more: drop the queue and its timer, which would only keep the process alive. */
  #clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
    this.#head = 0;
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

  #settle(): void {
    if (this.#unstarted > 0) this.#unstarted--;
    if (this.#unstarted === 0 && this.#waiting > 0) this.#schedule(performance.now());
  }

  #refill(now: number): void {
    const elapsed = now - this.#updatedAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
      this.#updatedAt = now;
    }
  }
}
