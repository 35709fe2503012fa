import { inspect } from "node:util";

/**
 * Every way `value` could reach a log, joined: `util.inspect` with hidden properties, `JSON.stringify`,
 * `String`, and for an error its message and stack, then the same for each `cause` (five deep).
 *
 * @param value - An error, an event, a config object… whatever your code may print.
 * @returns The text to search, for instance with {@link holdsKey}.
 * @example
 * ```ts
 * expect(holdsKey(printedForms(error), CANARY_KEYS.dashed)).toBe(false);
 * ```
 */
export function printedForms(value: unknown): string {
  const parts: string[] = [];
  let current: unknown = value;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    parts.push(inspect(current, { depth: 10, showHidden: true }), safeJson(current), safeString(current));
    if (!(current instanceof Error)) break;
    parts.push(current.message, current.stack ?? "");
    current = current.cause;
  }
  return parts.join("\n");
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "";
  }
}
