import type { FaultKind } from "./fault-injector.js";

/** One request as the sandbox saw it. Never holds the raw key: only its fingerprint. */
export interface LoggedRequest {
  /** The `Request-Id` sent back (`req_…`). */
  readonly requestId: string;
  /** When the request arrived, in ms since the epoch. */
  readonly time: number;
  readonly method: string;
  /** The path without the query, e.g. `/v2/bookings`. */
  readonly path: string;
  /** The query parameters (the last value wins when one is repeated). */
  readonly query: Readonly<Record<string, string>>;
  /** The account whose active key was presented, else `null`. */
  readonly accountId: string | null;
  /** The fingerprint of whatever `API-Key` was presented (active or not), else `null`. */
  readonly fingerprint: string | null;
  /** The status sent, or `null` when no response was sent (a `reset` fault). */
  readonly status: number | null;
  /** `true` when the request reached the plain-HTTP listener. */
  readonly plain: boolean;
  /** The fault injected into this request, if any. */
  readonly fault: FaultKind | null;
}

/**
 * The log of requests the sandbox received, in the order their responses started (a delayed request is logged
 * when it is answered), bounded so a long benchmark cannot exhaust memory.
 *
 * @example
 * ```ts
 * sandbox.requests.clear();
 * await request(`${sandbox.baseUrl}/test`, { headers: { "API-Key": key }, dispatcher });
 * expect(sandbox.requests.last()).toMatchObject({ path: "/v2/test", status: 200, fingerprint: keyFingerprint(key) });
 * ```
 */
export interface RequestLog {
  /** A copy of the entries, oldest first. */
  all(): LoggedRequest[];
  /**
   * How many entries match every field given in `filter`.
   * @example `sandbox.requests.count({ fingerprint: keyFingerprint(oldKey), status: 401 })`
   */
  count(filter?: Partial<LoggedRequest>): number;
  /** The newest entry. */
  last(): LoggedRequest | undefined;
  /** Forgets every entry. */
  clear(): void;
  /** How many entries are held. */
  readonly size: number;
  /** How many of the oldest entries were dropped to stay within the bound. */
  readonly dropped: number;
}

/** A {@link RequestLog} that keeps at most `limit` entries, dropping the oldest. */
export class BoundedRequestLog implements RequestLog {
  #entries: LoggedRequest[] = [];
  #dropped = 0;
  readonly #limit: number;
  // Trimming in batches keeps `record` amortized O(1) instead of shifting the array on every request.
  readonly #slack: number;

  constructor(limit: number) {
    this.#limit = limit;
    this.#slack = Math.max(1, Math.ceil(limit / 8));
  }

  record(entry: LoggedRequest): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit + this.#slack) this.#trim();
  }

  all(): LoggedRequest[] {
    this.#trim();
    return this.#entries.slice();
  }

  count(filter: Partial<LoggedRequest> = {}): number {
    const fields = Object.keys(filter) as (keyof LoggedRequest)[];
    return this.all().filter((entry) => fields.every((field) => entry[field] === filter[field])).length;
  }

  last(): LoggedRequest | undefined {
    return this.#entries[this.#entries.length - 1];
  }

  clear(): void {
    this.#entries = [];
    this.#dropped = 0;
  }

  get size(): number {
    return Math.min(this.#entries.length, this.#limit);
  }

  get dropped(): number {
    return this.#dropped + Math.max(0, this.#entries.length - this.#limit);
  }

  #trim(): void {
    const excess = this.#entries.length - this.#limit;
    if (excess > 0) {
      this.#entries.splice(0, excess);
      this.#dropped += excess;
    }
  }
}
