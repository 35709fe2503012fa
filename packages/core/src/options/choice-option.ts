import { ConfigError } from "../errors/config-error.js";
import { describeOptionValue } from "./describe-option-value.js";

/**
 * Returns an option that must be one of a few strings (or its default when absent); throws a {@link ConfigError}
 * naming the option and the choices. A wrong string is described, not repeated.
 *
 * @param value - The option as given.
 * @param name - Its path, e.g. `permissions`.
 * @param choices - The allowed values.
 * @param defaultValue - Used when `value` is `undefined`.
 * @param where - What the option belongs to, e.g. `fromFile`.
 * @example
 * ```ts
 * const permissions = choiceOption(options.permissions, "permissions", ["refuse", "warn", "ignore"], "warn", "fromFile");
 * ```
 */
export function choiceOption<T extends string>(
  value: unknown,
  name: string,
  choices: readonly T[],
  defaultValue: T,
  where: string,
): T {
  if (value === undefined) return defaultValue;
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(
    `${where}: ${name} must be one of ${choices.map((c) => `"${c}"`).join(", ")}, got ${describeOptionValue(value)}.`,
    { variable: name },
  );
}
