import { performance } from "node:perf_hooks";
import { TokenBucket } from "./token-bucket.js";

/** Past this many buckets, full ones (which hold no state worth keeping) are dropped. */
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

  constructor(requestsPerSecond: number, burst: number) {
    this.requestsPerSecond = requestsPerSecond;
    this.burst = burst;
    this.#suffix = `/${requestsPerSecond}/${burst}`;
  }

  /** Books a slot for a request with the key `fingerprint`; returns how long to wait for it, in ms. */
  reserve(fingerprint: string): number {
    const now = performance.now();
    return this.#bucket(fingerprint, now).reserve(now);
  }

  /** Returns a booked slot that will not be used. */
  refund(fingerprint: string): void {
    const now = performance.now();
    this.#bucket(fingerprint, now).refund(now);
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
  for (const [id, bucket] of buckets) if (bucket.isFull(now)) buckets.delete(id);
}
