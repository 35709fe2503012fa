import { type CallKeys, redactKey } from "./redact-key.js";

// OnceHub's look like `req_1234567890abcdef`; a gateway's may be a UUID or longer. Spaces, control characters
// and anything longer than 200 characters are not an id, and would let a server write into messages and logs.
const REQUEST_ID = /^[\x21-\x7E]{1,200}$/;

/**
 * The `Request-Id` response header as errors and events may quote it: `undefined` when the header is missing or
 * does not look like an id (not 1 to 200 visible ASCII characters), else the header with any trace of `key`
 * replaced by `<key sha256:…>` ({@link redactKey}).
 *
 * @param header - The header's value.
 * @param key - The key (or keys) the call carried.
 * @example
 * ```ts
 * safeRequestId("req_1234567890abcdef", key); // "req_1234567890abcdef"
 * safeRequestId(`req_${key.reveal()}`, key); // "req_<key sha256:3f0c9a1b2c4d>"
 * safeRequestId("req_1\nforged log line", key); // undefined
 * ```
 */
export function safeRequestId(header: string | undefined, key: CallKeys): string | undefined {
  return header === undefined || !REQUEST_ID.test(header) ? undefined : redactKey(header, key);
}
