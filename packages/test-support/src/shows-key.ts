import { holdsKey, printedForms } from "@oncekey/sandbox";

/**
 * Whether any of `values`, printed every way a log could print it (inspect with hidden fields, JSON, text, each
 * cause's message and stack), holds `key` or a 12-character slice of it.
 *
 * @param key - The canary key that went in.
 * @param values - Errors, events, results, captured output.
 * @example
 * ```ts
 * expect(showsKey(CANARY_KEYS.dashed, error, ...log.events, client.usage())).toBe(false);
 * ```
 */
export function showsKey(key: string, ...values: unknown[]): boolean {
  return values.some((value) => holdsKey(typeof value === "string" ? value : printedForms(value), key));
}
