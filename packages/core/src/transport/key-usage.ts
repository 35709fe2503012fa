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
  /** Orders uses exactly: many requests end within one millisecond of `lastUsedAt`. */
  lastUse: number;
}

/** Past this many keys, the least recently used are forgotten. */
const MAX_KEYS = 10_000;

/** Per-key counters shared by a client and its children. */
export class UsageTracker {
  readonly #counters = new Map<string, Counter>();
  #uses = 0;

  /** Counts one exchange with `key` that ended with `status` (0: no response). */
  record(key: ApiKey, status: number): void {
    let counter = this.#counters.get(key.fingerprint);
    if (counter === undefined) {
      if (this.#counters.size >= MAX_KEYS) this.#forgetOldest();
      counter = {
        fingerprint: key.fingerprint,
        source: key.source,
        requests: 0,
        failures: 0,
        unauthorized: 0,
        rateLimited: 0,
        lastUsedAt: 0,
        lastUse: 0,
      };
      this.#counters.set(key.fingerprint, counter);
    }
    counter.requests++;
    counter.lastUsedAt = Date.now();
    counter.lastUse = ++this.#uses;
    if (status !== 0 && status < 400) return;
    counter.failures++;
    if (status === 401) counter.unauthorized++;
    else if (status === 429) counter.rateLimited++;
  }

  /** A copy of the counters, most recently used first. */
  snapshot(): KeyUsage[] {
    return [...this.#counters.values()]
      .sort((a, b) => b.lastUse - a.lastUse)
      .map((c) => ({
        fingerprint: c.fingerprint,
        source: c.source,
        requests: c.requests,
        failures: c.failures,
        unauthorized: c.unauthorized,
        rateLimited: c.rateLimited,
        lastUsedAt: c.lastUsedAt,
      }));
  }

  #forgetOldest(): void {
    let oldest: Counter | undefined;
    for (const counter of this.#counters.values()) {
      if (oldest === undefined || counter.lastUse < oldest.lastUse) oldest = counter;
    }
    if (oldest !== undefined) this.#counters.delete(oldest.fingerprint);
  }
}
