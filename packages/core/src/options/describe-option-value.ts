import { describeConfigValue } from "../config/quotable-config-value.js";

/**
 * Describes an option's value for a message about it, without repeating a string: a key pasted into the wrong
 * option must not reach a log. Numbers, booleans, `null` and `undefined` are shown as they are; a string is
 * described by its length; anything else by its type.
 *
 * @param value - The option's value.
 * @returns A phrase such as `-1`, `Infinity`, `a string of 3 characters`, `an object`.
 * @example
 * ```ts
 * describeOptionValue("5000"); // "a string of 4 characters"
 * describeOptionValue(NaN); // "NaN"
 * ```
 */
export function describeOptionValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (typeof value === "function") return "a function";
  return describeConfigValue(value);
}
