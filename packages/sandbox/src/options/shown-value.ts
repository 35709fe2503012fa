/**
 * How an option's bad value appears in an error message: a number, boolean, `null` or `undefined` as itself
 * (none can be a key), anything else described by its type, and a string by its length, never its characters,
 * since a key passed in the wrong option must not end up in a message or a log.
 *
 * @param value - the value as given
 * @returns e.g. `70000`, `a string of 43 characters`, `an object`
 * @example
 * ```ts
 * throw new RangeError(`startSandbox: port must be an integer from 0 to 65535, got ${shownValue(port)}.`);
 * ```
 */
export function shownValue(value: unknown): string {
  if (value === null || ["number", "boolean", "undefined", "bigint"].includes(typeof value))
    return String(value);
  if (typeof value === "string")
    return value === ""
      ? "an empty string"
      : `a string of ${value.length} character${value.length === 1 ? "" : "s"}`;
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
