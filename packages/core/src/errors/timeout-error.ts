import { OnceKeyError, type OnceKeyErrorOptions } from "./once-key-error.js";

/**
 * Options of {@link TimeoutError}.
 *
 * @example
 * ```ts
 * throw new TimeoutError(`The vault did not answer within ${timeoutMs} ms.`, {
 *   source,
 *   phase: "total",
 *   transient: true,
 * });
 * ```
 */
export interface TimeoutErrorOptions extends OnceKeyErrorOptions {
  /** Which limit ran out. */
  readonly phase?: "connect" | "headers" | "body" | "total";
}

/**
 * A connect, headers or body timeout ran out, or the call's whole deadline (`timeouts.totalMs`, phase `total`).
 * Code `TIMEOUT`.
 *
 * @example
 * ```ts
 * if (TimeoutError.is(error)) console.error(`OnceHub did not answer in time (${error.phase})`);
 * ```
 */
export class TimeoutError extends OnceKeyError {
  static override readonly code: string = "TIMEOUT";
  static override readonly brand: string = "TimeoutError";
  static override readonly transient: boolean = true;

  /** Which limit ran out, when known. */
  declare readonly phase: "connect" | "headers" | "body" | "total" | undefined;

  constructor(message: string, options: TimeoutErrorOptions = {}) {
    super(message, options);
    if (options.phase !== undefined) this.phase = options.phase;
  }
}
