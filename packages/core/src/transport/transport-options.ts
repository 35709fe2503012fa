import type { PacingStore } from "./pacing/pacing-store.js";

/**
 * The per-egress budget: every request leaving through one source IP (OnceHub allows 200 per 5 minutes per IP).
 *
 * @example
 * ```ts
 * new OnceHubClient({ keys, pacing: { egress: { requests: 100, windowMs: 300_000 } } }); // half, for two apps on one IP
 * ```
 */
export interface EgressOptions {
  /**
   * The most requests in any window.
   * @defaultValue `200`
   */
  readonly requests?: number | undefined;
  /**
   * The window's length, in ms.
   * @defaultValue `300_000`
   */
  readonly windowMs?: number | undefined;
}

/**
 * Options of the client's pacing: OnceHub's two budgets, the per-account one (5 requests per second) and the
 * per-egress one (200 requests per 5 minutes from one IP), kept in a store shared by every client of the process,
 * or by every process of a fleet (`redisPacing` from `@oncekey/redis`). Calls that find a budget short queue,
 * tenants served in turn.
 *
 * @example
 * ```ts
 * new OnceHubClient({ keys, pacing: { requestsPerSecond: 4, burst: 2 } }); // leave room for another process
 * new OnceHubClient({ keys, pacing: { store: redisPacing({ url: process.env.REDIS_URL }) } }); // a fleet
 * ```
 */
export interface PacingOptions {
  /**
   * Sustained requests per second per account (a tenant; a single-tenant client has one), or `false` for no
   * per-account budget (OnceHub allows 5).
   * @defaultValue `5`
   */
  readonly requestsPerSecond?: number | false | undefined;
  /**
   * Requests that may go at once from a rested account.
   * @defaultValue `5`
   */
  readonly burst?: number | undefined;
  /**
   * The per-egress budget, shared by every request of the store (the process, or the fleet behind one NAT), or
   * `false` for none.
   * @defaultValue `{ requests: 200, windowMs: 300_000 }`
   */
  readonly egress?: EgressOptions | false | undefined;
  /**
   * Where the budgets live: `redisPacing(…)` from `@oncekey/redis` shares them across a fleet.
   * @defaultValue the process's in-process store
   */
  readonly store?: PacingStore | undefined;
}

/**
 * Options of the client's retries of 429, 5xx and network failures.
 *
 * @example
 * ```ts
 * new OnceHubClient({ keys, retry: { maxAttempts: 5, maxElapsedMs: 60_000 } });
 * ```
 */
export interface RetryOptions {
  /**
   * The most tries of one call, the first included.
   * @defaultValue `3`
   */
  readonly maxAttempts?: number | undefined;
  /**
   * The backoff before the first retry is a random wait below this; it doubles with every retry (full jitter).
   * @defaultValue `250`
   */
  readonly baseDelayMs?: number | undefined;
  /**
   * The cap of one backoff wait (a `Retry-After` from OnceHub is honoured even when longer).
   * @defaultValue `5_000`
   */
  readonly maxDelayMs?: number | undefined;
  /**
   * No retry starts when it would end later than this after the call began.
   * @defaultValue `30_000`
   */
  readonly maxElapsedMs?: number | undefined;
}

/**
 * Options of the client's timeouts. undici checks the headers and body timeouts about every half second.
 *
 * @example
 * ```ts
 * new OnceHubClient({ keys, timeouts: { connectMs: 5_000, headersMs: 15_000 } });
 * ```
 */
export interface TimeoutOptions {
  /**
   * Opening a connection, TLS handshake included.
   * @defaultValue `10_000`
   */
  readonly connectMs?: number | undefined;
  /**
   * From sending the request to the end of the response headers.
   * @defaultValue `30_000`
   */
  readonly headersMs?: number | undefined;
  /**
   * The longest pause between two pieces of the response body.
   * @defaultValue `30_000`
   */
  readonly bodyMs?: number | undefined;
  /**
   * The whole call, from the first attempt to the last byte of the answer: waits for pacing, retries and a new
   * key included. A server that trickles its answer just fast enough for `bodyMs` cannot hold a call past it.
   * An exchange in flight is ended when it passes (its wait for pacing or a retry too); the call's own `signal` (e.g. `AbortSignal.timeout(5_000)`) can end it
   * sooner. Reading the key itself is bounded by the key source's own timeouts.
   * @defaultValue `60_000`
   */
  readonly totalMs?: number | undefined;
}

/**
 * What the client does when OnceHub rejects a key and the source still serves that same key.
 *
 * @example
 * ```ts
 * // The legacy "Regenerate" kills the old key before the new one reaches the vault: wait for it.
 * new OnceHubClient({ keys, rotation: { waitForNewKeyMs: 10_000, pollIntervalMs: 500 } });
 * ```
 */
export interface RotationOptions {
  /**
   * How long to keep asking the source for a different key before failing. For OnceHub's legacy "Regenerate",
   * which kills the old key before the new one reaches the source. `0` fails at once.
   * @defaultValue `0`
   */
  readonly waitForNewKeyMs?: number | undefined;
  /**
   * How often the source is asked again while waiting.
   * @defaultValue `100`
   */
  readonly pollIntervalMs?: number | undefined;
}
