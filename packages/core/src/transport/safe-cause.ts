import { type CallKeys, redactKey } from "./redact-key.js";

const NAME = /^[A-Za-z][\w$]{0,63}$/;
const CODE = /^[\w.-]{1,64}$/;
/** The most causes kept below the first: undici and Node nest one or two. */
const MAX_DEPTH = 3;

/**
 * A copy of a network error that is safe to keep as a `cause`: its `name`, `code`, message and stack frames,
 * with any trace of `key` in the message replaced ({@link redactKey}), and its own `cause` copied the same way.
 * Nothing else of the original is kept: undici's `HTTPParserError` holds the raw bytes after a parse error as
 * `data` (echoed headers, a body), a TLS error the server's certificate, a socket error the socket.
 *
 * @param error - What undici or the socket threw.
 * @param key - The key (or keys) the call carried.
 * @example
 * ```ts
 * const cause = safeCause(error, key);
 * throw new NetworkError(`The connection to OnceHub failed (${cause.message}).`, { cause });
 * ```
 */
export function safeCause(error: unknown, key: CallKeys): Error {
  return copy(error, key, 0);
}

function copy(error: unknown, key: CallKeys, depth: number): Error {
  const original = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    stack?: unknown;
    cause?: unknown;
  };
  const said =
    typeof error === "string" ? error : typeof original.message === "string" ? original.message : "";
  const message = redactKey(said, key, { maxLength: 500 });
  const cause =
    original.cause !== undefined && depth < MAX_DEPTH ? copy(original.cause, key, depth + 1) : undefined;
  const safe = new Error(message, cause === undefined ? undefined : { cause });
  const name = typeof original.name === "string" && NAME.test(original.name) ? original.name : "Error";
  Object.defineProperty(safe, "name", { value: name, writable: true, enumerable: false, configurable: true });
  if (typeof original.code === "string" && CODE.test(original.code))
    Object.assign(safe, { code: original.code });
  safe.stack = `${name}: ${message}${framesOf(original.stack, said, key)}`;
  return safe;
}

/** The stack's frames, which say where it was thrown: what follows the (unredacted) message, redacted too. */
function framesOf(stack: unknown, message: string, key: CallKeys): string {
  const end = typeof stack === "string" ? stack.indexOf(message) : -1;
  if (end === -1) return "";
  const lines = (stack as string).slice(end + message.length).split("\n");
  const frames = lines.filter((line) => line.startsWith("    at ")).slice(0, 20);
  return frames.length === 0 ? "" : redactKey(`\n${frames.join("\n")}`, key, { maxLength: 5_000 });
}
