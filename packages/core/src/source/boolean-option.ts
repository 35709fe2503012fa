import { ConfigError } from "../errors/config-error.js";
import { describeOptionValue } from "../options/describe-option-value.js";

/**
 * Returns an option that must be `true` or `false` (or its default when absent); throws a {@link ConfigError}
 * naming the option otherwise. A string is described, never repeated.
 *
 * @param value - The option as given.
 * @param name - Its path, e.g. `watch`.
 * @param defaultValue - Used when `value` is `undefined`.
 * @param where - What the option belongs to, e.g. `fromFile`.
 * @example
 * ```ts
 * const watch = booleanOption(options.watch, "watch", true, "fromFile");
 * ```
 */
export function booleanOption(value: unknown, name: string, defaultValue: boolean, where: string): boolean {
  if (value === undefined) return defaultValue;
  if (typeof value === "boolean") return value;
  throw new ConfigError(`${where}: ${name} must be true or false, got ${describeOptionValue(value)}.`, {
    variable: name,
  });
}
