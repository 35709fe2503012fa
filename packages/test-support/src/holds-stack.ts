/**
 * Whether `text` (a response body, a log line) holds a stack trace: an `at …` frame line or a `"stack"` field.
 *
 * @param text - What a server answered or wrote.
 * @example
 * ```ts
 * expect(holdsStack(answer.text)).toBe(false);
 * ```
 */
export function holdsStack(text: string): boolean {
  return /\n\s+at\s/.test(text) || /"stack"/.test(text);
}
