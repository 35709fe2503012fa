import { OnceKeyError, type OnceKeyErrorOptions } from "./once-key-error.js";

/**
 * One link of a chain that was tried, and why it did not serve a key.
 *
 * @example
 * ```ts
 * if (KeyNotFoundError.is(error)) {
 *   for (const attempt of error.attempts ?? []) console.error(`${attempt.provider}: ${attempt.error.message}`);
 * }
 * ```
 */
export interface KeyAttempt {
  /** The provider's `name`. */
  readonly provider: string;
  /** What it threw. */
  readonly error: OnceKeyError;
}

/**
 * Options of {@link KeyNotFoundError}.
 *
 * @example
 * ```ts
 * throw new KeyNotFoundError(`${variable} is not set. Set it to the OnceHub API key.`, { source: `env:${variable}` });
 * ```
 */
export interface KeyNotFoundErrorOptions extends OnceKeyErrorOptions {
  /** The links a chain tried, in order; set by `chain` when no link had a key. */
  readonly attempts?: readonly KeyAttempt[];
}

/**
 * The source is not configured here: the variable is unset, the file is absent, the secret does not exist.
 *
 * This is the only error that makes `chain` move on to its next provider; a provider written by a user says "not
 * here" by throwing it. Code `KEY_NOT_FOUND`.
 *
 * @example
 * ```ts
 * const mine: KeyProvider = {
 *   name: "mine",
 *   async getKey() {
 *     throw new KeyNotFoundError("No key in my store; set MY_KEY.", { source: "mine" });
 *   },
 * };
 * ```
 */
export class KeyNotFoundError extends OnceKeyError {
  static override readonly code: string = "KEY_NOT_FOUND";
  static override readonly brand: string = "KeyNotFoundError";

  /** The links a chain tried, in order; empty unless thrown by `chain`. */
  readonly attempts: readonly KeyAttempt[];

  constructor(message: string, options: KeyNotFoundErrorOptions = {}) {
    super(message, options);
    this.attempts = options.attempts ?? [];
  }
}
