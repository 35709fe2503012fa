import { ConfigError } from "../errors/config-error.js";
import { describeOptionValue } from "../options/describe-option-value.js";

/**
 * Returns an option that must be a plain object of any keys, such as an environment (or `undefined` when absent);
 * throws a {@link ConfigError} naming the option otherwise. For an object of known option names, use
 * `checkOptionNames`.
 *
 * @param value - The option as given.
 * @param name - Its path, e.g. `env`.
 * @param what - What it holds, for the message: `an object of environment variables`.
 * @param where - What the option belongs to, e.g. `fromEnv`.
 * @example
 * ```ts
 * const env = objectOption<Record<string, string | undefined>>(options.env, "env", "an object of variables", "fromEnv");
 * ```
 */
export function objectOption<T extends object>(
  value: unknown,
  name: string,
  what: string,
  where: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as T;
  throw new ConfigError(`${where}: ${name} must be ${what}, got ${describeOptionValue(value)}.`, {
    variable: name,
  });
}
