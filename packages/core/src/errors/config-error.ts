import { OnceKeyError, type OnceKeyErrorOptions } from "./once-key-error.js";

/**
 * Options of {@link ConfigError}.
 *
 * @example
 * ```ts
 * throw new ConfigError("MY_STORE_URL must be an https: URL, e.g. https://store.example.com.", {
 *   variable: "MY_STORE_URL",
 * });
 * ```
 */
export interface ConfigErrorOptions extends OnceKeyErrorOptions {
  /** The environment variable or option that is wrong. */
  readonly variable?: string;
}

/**
 * The configuration is wrong: an unknown source, a missing variable, a bad URL. Thrown at start-up, never on the
 * first request; the message names the variable and the fix. Code `CONFIG`.
 *
 * @example
 * ```ts
 * expect(() => loadConfig({ ONCEKEY_SOURCE: "vault" })).toThrow(ConfigError);
 * ```
 */
export class ConfigError extends OnceKeyError {
  static override readonly code: string = "CONFIG";
  static override readonly brand: string = "ConfigError";

  /** The environment variable or option that is wrong, when there is one. */
  declare readonly variable: string | undefined;

  constructor(message: string, options: ConfigErrorOptions = {}) {
    super(message, options);
    if (options.variable !== undefined) this.variable = options.variable;
  }
}
