import type { Query } from "../transport/request-target.js";
import { describeConfigValue, quotableConfigValue } from "../config/quotable-config-value.js";

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
  readonly signal?: AbortSignal | undefined;
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
  readonly query?: Query | undefined;
  /** Sent as JSON (`Content-Type: application/json`). */
  readonly body?: unknown | undefined;
  /** Extra request headers. `API-Key` and the connection headers cannot be set here. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

const METHOD = /^[A-Za-z]+$/;
/** Methods `fetch` forbids too: TRACE would echo the key back, CONNECT opens a tunnel. */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/** The method in upper case, or a TypeError for one that is not a word or may not be sent. */
export function httpMethod(method: unknown): string {
  if (typeof method !== "string" || !METHOD.test(method)) {
    // A short value is shown as is; a longer one may be a key passed by mistake, so only its kind and length.
    const got =
      typeof method === "string" && method.length <= 10
        ? JSON.stringify(method)
        : describeConfigValue(method);
    throw new TypeError(`The HTTP method must be a word such as GET or POST, got ${got}.`);
  }
  const verb = method.toUpperCase();
  if (FORBIDDEN_METHODS.has(verb)) {
    throw new TypeError(`The HTTP method ${verb} cannot be sent to OnceHub (it could expose the key).`);
  }
  return verb;
}

/** The call's signal, or a TypeError when it is not an AbortSignal. */
export function callSignal(signal: unknown): AbortSignal | undefined {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError("options.signal must be an AbortSignal, e.g. AbortSignal.timeout(5_000).");
  }
  return signal;
}

/** The request body as JSON text, or a TypeError that says why it cannot be. */
export function jsonBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  try {
    return JSON.stringify(body);
  } catch (cause) {
    throw new TypeError(`The request body cannot be sent as JSON: ${(cause as Error).message}.`, { cause });
  }
}

/** Headers the transport owns, or that change how the connection is used (undici refuses some of them late). */
const RESERVED_HEADERS = new Set([
  "api-key",
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "expect",
  "te",
  "trailer",
  "proxy-connection",
]);
/** A header name (RFC 9110 token) and a value without control characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

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
    const shown = quotableConfigValue(name, "name") ?? `(a name of ${name.length} characters)`;
    if (!HEADER_NAME.test(name)) {
      throw new TypeError(
        `The header ${shown} is not a valid header name (letters, digits and !#$%&'*+.^_\`|~-).`,
      );
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new TypeError(
        `The header ${shown} cannot be set per request: the client sets it, or it would change how the ` +
          "connection is used (the key comes from the key provider).",
      );
    }
    const value = headers[name];
    if (typeof value !== "string") throw new TypeError(`The header ${shown} must be a string.`);
    if (!HEADER_VALUE.test(value)) {
      throw new TypeError(`The header ${shown} holds a line break or another control character.`);
    }
    pairs.push(name, value);
  }
  return pairs;
}
