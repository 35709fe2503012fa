import { describeConfigValue, quotableConfigValue } from "../config/quotable-config-value.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import { InsecureTransportError } from "../errors/insecure-transport-error.js";

/**
 * A query parameter's value; `undefined` leaves the parameter out, an array repeats it.
 * @inline
 */
export type QueryValue = string | number | boolean | undefined | readonly (string | number | boolean)[];

/**
 * Query parameters of a request.
 *
 * @example
 * ```ts
 * const query: Query = { limit: 10, status: "scheduled", after: cursor };
 * ```
 */
export type Query = Readonly<Record<string, QueryValue>>;

// A path relative to the base URL: no scheme, no authority, no fragment, no whitespace or control characters.
const RELATIVE_PATH = /^\/?(?!\/)[^\s#?\\\p{Cc}]*(?:\?[^\s#\p{Cc}]*)?$/u;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$|\?)/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Joins the base URL's path and a request path relative to it, with the query appended; throws
 * {@link InsecureTransportError} for anything that could leave the base URL: an absolute URL, `//host`, a `..`
 * segment, a backslash or a fragment.
 *
 * @param basePath - The base URL's path, e.g. `/v2` (no trailing slash).
 * @param path - e.g. `/bookings` or `bookings`.
 * @param query - Parameters to append.
 */
export function requestTarget(basePath: string, path: string, query: Query | undefined): string {
  if (
    typeof path !== "string" ||
    SCHEME.test(path) ||
    !RELATIVE_PATH.test(path) ||
    DOT_SEGMENT.test(path.replace(/%2e/gi, "."))
  ) {
    // Described, not quoted: what was passed as a path may be anything, a key included.
    throw new InsecureTransportError(
      `Request paths are relative to the client's base URL, e.g. "/bookings"; got ${describePath(path)}. ` +
        "The key is only ever sent to the base URL's origin.",
    );
  }
  const joined = path.charCodeAt(0) === 47 ? basePath + path : `${basePath}/${path}`;
  if (query === undefined) return joined;
  const search = encodeQuery(query);
  if (search === "") return joined;
  return joined + (joined.includes("?") ? "&" : "?") + search;
}

function describePath(path: unknown): string {
  if (typeof path !== "string") return describeConfigValue(path);
  const length = `${path.length} characters`;
  if (SCHEME.test(path)) return `an absolute URL or a scheme (${length})`;
  if (/^[/\\]{2}/.test(path)) return `a path to another host (${length})`;
  if (DOT_SEGMENT.test(path.replace(/%2e/gi, "."))) return `a path with a "." or ".." segment (${length})`;
  return `a path with a space, a control character, a backslash or a fragment (${length})`;
}

/** The path of a request target, without its query (which may hold personal data). */
export function pathOf(target: string): string {
  const mark = target.indexOf("?");
  return mark === -1 ? target : target.slice(0, mark);
}

function encodeQuery(query: Query): string {
  if (typeof query !== "object" || query === null || Array.isArray(query)) {
    throw new TypeError("The query must be an object of parameters, e.g. { limit: 10 }.");
  }
  const params = new URLSearchParams();
  for (const name of Object.keys(query)) {
    const value: unknown = query[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, queryValue(name, item));
    else params.append(name, queryValue(name, value));
  }
  return params.toString();
}

/**
 * A parameter's value as text. Only strings, finite numbers and booleans are taken: anything else would be sent
 * as `[object Object]`, or run a `toString` of the caller's that may throw.
 */
function queryValue(name: string, value: unknown): string {
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  const shown = quotableConfigValue(name, "name");
  throw new TypeError(
    `The query parameter ${shown === undefined ? `(a name of ${name.length} characters)` : shown} must be a ` +
      `string, a finite number or a boolean (or an array of them), got ${describeOptionValue(value)}.`,
  );
}
