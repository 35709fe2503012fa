import { LRUCache } from "lru-cache";
import type { ApiKey } from "../key/api-key.js";

/**
 * What one API key has done through a client (and its `forTenant` children), to monitor OnceHub usage.
 *
 * @example
 * ```ts
 * const busiest = client.usage()[0];
 * if (busiest !== undefined && busiest.unauthorized > 0) alert(`key ${busiest.fingerprint} was rejected`);
 * ```
 */
export interface KeyUsage {
  /** The key's fingerprint, e.g. `sha256:3f0c9a1b2c4d`. */
  readonly fingerprint: string;
  /** Where the key came from. */
  readonly source: string;
  /** HTTP exchanges sent with the key, retries and replays included. */
  readonly requests: number;
  /** Exchanges answered with an error status (4xx, 5xx) or with no response at all. */
  readonly failures: number;
  /** Exchanges OnceHub answered with 401 (key rejected). */
  readonly unauthorized: number;
  /** Exchanges OnceHub answered with 429 (rate limited). */
  readonly rateLimited: number;
  /** When the key was last used, in ms since the epoch. */
  readonly lastUsedAt: number;
}

interface Counter {
  fingerprint: string;
  source: string;
  requests: number;
  failures: number;
  unauthorized: number;
  rateLimited: number;
  lastUsedAt: number;
}

/** Past this many keys, the least recently used are forgotten. */
const MAX_KEYS = 10_000;

/** Per-key counters shared by a client and its children, the least recently used forgotten past 10,000 keys. */
export class UsageTracker {
  /** Made by the first request: lru-cache reserves its slots up front, and many clients never send one. */
  #counters: LRUCache<string, Counter> | undefined;

  /** Counts one exchange with `key` that ended with `status` (0: no response). */
  record(key: ApiKey, status: number): void {
    const counters = (this.#counters ??= new LRUCache<string, Counter>({ max: MAX_KEYS }));
    let counter = counters.get(key.fingerprint);
    if (counter === undefined) {
      counter = {
        fingerprint: key.fingerprint,
        source: key.source,
        requests: 0,
        failures: 0,
        unauthorized: 0,
        rateLimited: 0,
        lastUsedAt: 0,
      };
      counters.set(key.fingerprint, counter);
    }
    counter.requests++;
    counter.lastUsedAt = Date.now();
    if (status !== 0 && status < 400) return;
    counter.failures++;
    if (status === 401) counter.unauthorized++;
    else if (status === 429) counter.rateLimited++;
  }

  /** A copy of the counters, most recently used first. */
  snapshot(): KeyUsage[] {
    return [...(this.#counters?.values() ?? [])].map((c) => ({ ...c }));
  }
}
