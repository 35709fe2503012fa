import { OnceKeyError } from "./once-key-error.js";

/**
 * The connection to OnceHub failed (refused, reset, TLS failure) after the retries allowed. Code `NETWORK`.
 *
 * @example
 * ```ts
 * if (NetworkError.is(error)) console.error("OnceHub unreachable:", error.cause);
 * ```
 */
export class NetworkError extends OnceKeyError {
  static override readonly code: string = "NETWORK";
  static override readonly brand: string = "NetworkError";
  static override readonly transient: boolean = true;
}
