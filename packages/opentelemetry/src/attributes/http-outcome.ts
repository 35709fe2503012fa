/** The methods the semantic conventions call known (RFC 9110 and PATCH); any other is reported as `_OTHER`. */
const KNOWN_METHODS = new Set([
  "CONNECT",
  "DELETE",
  "GET",
  "HEAD",
  "OPTIONS",
  "PATCH",
  "POST",
  "PUT",
  "TRACE",
]);

/** `http.request.method` for `method`: itself when known, else `_OTHER`. */
export function methodAttribute(method: string): string {
  return KNOWN_METHODS.has(method) ? method : "_OTHER";
}

/**
 * Whether an exchange failed as an HTTP client sees it: no response (`status` 0) or a 4xx/5xx answer. It is the
 * rule `usage()` counts `failures` by, so the two agree.
 */
export function isFailure(status: number): boolean {
  return status === 0 || status >= 400;
}

/**
 * `error.type` of an exchange, or `undefined` when it succeeded: the status code as a string for a 4xx/5xx answer
 * (the semantic conventions' rule), or the network error's code (`ECONNRESET`, `UND_ERR_HEADERS_TIMEOUT`) when no
 * response came.
 */
export function errorType(status: number, errorCode: string | undefined): string | undefined {
  if (status === 0) return errorCode ?? "_OTHER";
  return status >= 400 ? String(status) : undefined;
}

/** What an error code or class name looks like; anything else (a key a provider put there) is not repeated. */
const IDENTIFIER = /^[A-Za-z][\w.-]{0,63}$/;

/**
 * `error.type` of a call that failed: the `code` of oncekey's typed errors (`AUTHENTICATION`, `RATE_LIMIT`,
 * `NETWORK`, `KEY_NOT_FOUND` …), else the error's name (an abort's `AbortError`), else `_OTHER`. Never the
 * message, which may name the tenant or where the keys are kept.
 */
export function callErrorType(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === "string" && IDENTIFIER.test(code)) return code;
    if (typeof name === "string" && IDENTIFIER.test(name)) return name;
  }
  return "_OTHER";
}
