import type { Query } from "../transport/request-target.js";

/**
 * Options every client call takes.
 *
 * @example
 * ```ts
 * await client.bookings.get(id, { signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface CallOptions {
  /** Cancels the call: the wait for the key, the pacing, the exchange and the retries. */
  readonly signal?: AbortSignal;
}

/**
 * Options of `OnceHubClient.request`.
 *
 * @example
 * ```ts
 * await client.request("GET", "/booking-calendars", { query: { limit: 5 }, headers: { "X-Correlation-Id": id } });
 * ```
 */
export interface RequestOptions extends CallOptions {
  /** Query parameters; `undefined` values are left out, arrays repeat the parameter. */
  readonly query?: Query;
  /** Sent as JSON (`Content-Type: application/json`). */
  readonly body?: unknown;
  /** Extra request headers. `API-Key` and the connection headers cannot be set here. */
  readonly headers?: Readonly<Record<string, string>>;
}

const RESERVED_HEADERS = new Set([
  "api-key",
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "upgrade",
]);

/** Turns `headers` into name/value pairs, refusing the ones the transport owns. */
export function extraHeaders(headers: Readonly<Record<string, string>> | undefined): string[] | undefined {
  if (headers === undefined) return undefined;
  if (typeof headers !== "object" || headers === null) {
    throw new TypeError(
      'The headers must be an object of names and values, e.g. { "X-Correlation-Id": id }.',
    );
  }
  const pairs: string[] = [];
  for (const name of Object.keys(headers)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new TypeError(
        `The header ${name} cannot be set per request: the client sets it (the key comes from the key provider).`,
      );
    }
    const value = headers[name];
    if (typeof value !== "string") throw new TypeError(`The header ${name} must be a string.`);
    pairs.push(name, value);
  }
  return pairs;
}
