import { performance } from "node:perf_hooks";
import { TokenBucket } from "./token-bucket.js";

/** Past this many buckets, idle ones (full, nobody waiting: no state worth keeping) are dropped. */
const SWEEP_AT = 10_000;

const buckets = new Map<string, TokenBucket>();

/**
 * Paces requests per API key: one token bucket per key fingerprint and rate, shared by every client of the
 * process, since OnceHub's limit (5 requests/second) is per account and a key belongs to one account.
 */
export class KeyPacer {
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly #suffix: string;
  /** After a successful `tryTake`: the slack of the request it lets go (see {@link TokenBucket.slackMs}). */
  slackMs = 0;

  constructor(requestsPerSecond: number, burst: number) {
    this.requestsPerSecond = requestsPerSecond;
    this.burst = burst;
    this.#suffix = `/${requestsPerSecond}/${burst}`;
  }

  /** Takes a token for the key at once if one is free and nobody waits for it. */
  tryTake(fingerprint: string): boolean {
    const now = performance.now();
    const bucket = this.#bucket(fingerprint, now);
    if (!bucket.tryTake(now)) return false;
    this.slackMs = bucket.slackMs;
    return true;
  }

  /** How long a request for the key would wait now, estimated. */
  estimateWait(fingerprint: string): number {
    const now = performance.now();
    return this.#bucket(fingerprint, now).estimateWait(now);
  }

  /** Queues for the key's next token and resolves with its slack; rejects with the signal's reason on abort. */
  wait(fingerprint: string, signal: AbortSignal | undefined): Promise<number> {
    return this.#bucket(fingerprint, performance.now()).wait(signal);
  }

  /** How far the key's schedule has been moved so far, in ms. */
  shiftedMs(fingerprint: string): number {
    return buckets.get(fingerprint + this.#suffix)?.shiftedMs ?? 0;
  }

  /**
   * A request let go by the pacer reached the wire now. OnceHub's limiter counts it from its arrival: when that is
   * later than its slack allowed (`dueBy`, a `performance.now()` time), the key's next requests are held back by
   * the excess, minus what shifts since its release (`shiftedAtRelease`) already covered. Without this, the
   * requests behind a slow new connection would reach OnceHub early.
   */
  started(fingerprint: string, dueBy: number, shiftedAtRelease: number): void {
    const bucket = buckets.get(fingerprint + this.#suffix);
    if (bucket === undefined) return;
    const excess = performance.now() - dueBy - (bucket.shiftedMs - shiftedAtRelease);
    if (excess > 1) bucket.shift(excess);
    bucket.started();
  }

  /** A request let go by the pacer ended without reaching the wire: it no longer holds the key's next ones. */
  abandoned(fingerprint: string): void {
    buckets.get(fingerprint + this.#suffix)?.abandoned();
  }

  /** OnceHub answered 429 for this key: hold its next requests back. */
  drain(fingerprint: string): void {
    const now = performance.now();
    this.#bucket(fingerprint, now).drain(now);
  }

  #bucket(fingerprint: string, now: number): TokenBucket {
    const id = fingerprint + this.#suffix;
    let bucket = buckets.get(id);
    if (bucket === undefined) {
      if (buckets.size >= SWEEP_AT) sweep(now);
      bucket = new TokenBucket(this.requestsPerSecond, this.burst, now);
      buckets.set(id, bucket);
    }
    return bucket;
  }
}

function sweep(now: number): void {
  for (const [id, bucket] of buckets) if (bucket.isIdle(now)) buckets.delete(id);
}
