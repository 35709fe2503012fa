import { OnceKeyError } from "./once-key-error.js";

/**
 * A key was found but cannot be an OnceHub API key: empty, too long, or with a character that is not allowed.
 *
 * The message says what is wrong, where (position) and which source it came from, never the key. A configured
 * but broken source stops a chain rather than falling through to the next one. Code `KEY_FORMAT`.
 *
 * @example
 * ```ts
 * await expect(fromEnv().getKey()).rejects.toMatchObject({ code: "KEY_FORMAT" });
 * ```
 */
export class KeyFormatError extends OnceKeyError {
  static override readonly code: string = "KEY_FORMAT";
  static override readonly brand: string = "KeyFormatError";
}
