/**
 * A failure of the command itself rather than of the library: a usage error, a new key for another account, a
 * source that cannot be written. Its `code` joins the library's error codes in `--json` output and decides the
 * exit code (see `exitCodeFor`). The message says what to do and, like every oncekey message, never holds a key.
 *
 * @example
 * ```ts
 * throw new CommandError("USAGE", "check takes no arguments. Run oncekey check --help.");
 * ```
 */
export class CommandError extends Error {
  /** A stable code such as `USAGE`, `ACCOUNT_MISMATCH` or `SOURCE_NOT_WRITABLE`. */
  readonly code: string;

  /**
   * @param code - The stable code.
   * @param message - What went wrong and what to do; never a key or a value that could be one.
   */
  constructor(code: string, message: string) {
    super(message);
    this.name = "CommandError";
    this.code = code;
  }
}
