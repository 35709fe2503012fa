/** How long a slice of the key counts as a leak on its own. */
const SLICE = 12;

/**
 * Whether `text` holds `key`, or any 12-character slice of it: a key cut short, or its tail, is still a leak.
 *
 * @param text - What was printed, e.g. {@link printedForms} of an error, or captured log lines.
 * @param key - The canary key that went in.
 * @example
 * ```ts
 * expect(holdsKey(capturedLogs.join("\n"), CANARY_KEYS.base64url)).toBe(false);
 * ```
 */
export function holdsKey(text: string, key: string): boolean {
  if (text.includes(key)) return true;
  for (let i = 0; i + SLICE <= key.length; i++) if (text.includes(key.slice(i, i + SLICE))) return true;
  return false;
}
