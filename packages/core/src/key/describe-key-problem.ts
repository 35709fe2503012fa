/**
 * The most characters an OnceHub API key may have; `ApiKey.from` refuses a longer one.
 *
 * @example
 * ```ts
 * const handle = await open(path);
 * const raw = await readBounded(handle, MAX_KEY_LENGTH + 1); // the key, and the newline a file may add after it
 * ```
 */
export const MAX_KEY_LENGTH = 512;

/**
 * Says what makes `value` unusable as an API key, or returns `undefined` when it is fine.
 *
 * The answer names the kind of character and its 1-based position, never the character itself when it could be
 * part of a key: an allowed character is never the problem, so only disallowed ones are described.
 */
export function describeKeyProblem(value: string): string | undefined {
  if (value.length === 0) return "is empty";
  if (value.length > MAX_KEY_LENGTH) {
    return `is ${value.length} characters long, more than the ${MAX_KEY_LENGTH} an API key can have`;
  }
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x21 && code <= 0x7e) continue;
    return `${describeCharacter(value, i)} at position ${i + 1}${hint(value, i)}`;
  }
  return undefined;
}

function describeCharacter(value: string, index: number): string {
  const code = value.charCodeAt(index);
  if (code === 0xfeff)
    return index === 0 ? "starts with a byte order mark (BOM)" : "contains a byte order mark";
  if (code === 0x0d && value.charCodeAt(index + 1) === 0x0a) return "contains a Windows line ending (CR LF)";
  if (code === 0x0a || code === 0x0d) return "contains a line break";
  if (code === 0x20) return "contains a space";
  if (code === 0x09) return "contains a tab";
  if (code < 0x20 || code === 0x7f) return `contains a control character (U+${hex(code)})`;
  return `contains a non-ASCII character (U+${hex(value.codePointAt(index) ?? code)})`;
}

function hint(value: string, index: number): string {
  const code = value.charCodeAt(index);
  if (code === 0xfeff) return "; save the file as UTF-8 without BOM";
  if (code === 0x0d) return "; save the file with LF line endings";
  if (code === 0x0a) return "; a key is one line (one trailing newline is allowed)";
  if (code === 0x20 || code === 0x09) {
    return index === 0 || index === value.length - 1 ? "; remove the surrounding whitespace" : "";
  }
  return "";
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, "0");
}
