import type { ApiKey } from "../key/api-key.js";

/** Options of {@link redactKey}. */
export interface RedactKeyOptions {
  /**
   * The most characters of `text` kept: a longer text is cut there and ends with `…`. A run of the key that
   * starts before the cut is replaced whole.
   * @defaultValue 1000
   */
  readonly maxLength?: number;
}

/**
 * The keys a call has sent, whose traces server text must not carry: the first key, and after a rejection and
 * replay the new one too (a same-origin redirect may have put the first key into a path the second request
 * echoes).
 */
export type CallKeys = ApiKey | readonly ApiKey[] | undefined;

/** The shortest run of the key's characters that is replaced; a shorter key is replaced only whole. */
export const MIN_KEY_RUN = 8;

/**
 * Replaces every trace of `key` in text a server or the network supplied (an error body's fields, a header, a
 * redirect target, a socket error's message) with `<key sha256:…>`, and caps the text at `maxLength`.
 *
 * A trace is any run of {@link MIN_KEY_RUN} or more consecutive characters of the key (so also a prefix, a tail
 * or the whole key), in any of the forms a server may write it in: as is, JSON-escaped (also with `\/`),
 * URL-encoded (`encodeURIComponent`) or form-encoded (`URLSearchParams`). Letters match in either case, as a
 * host name or a percent-escape may be lowercased on the way. A key shorter than {@link MIN_KEY_RUN} is replaced
 * only whole. Overlapping or adjacent runs become one marker. Text derived otherwise (base64, hashes) is not
 * recognised.
 *
 * It reads at most `maxLength + 8` characters and compares with the key's written forms only the 8-character
 * windows made of characters a form holds, so the cost is at most linear in `maxLength` times the key's length,
 * a text that holds no run of the key (a path, a request id: the common case) allocates nothing, and nothing
 * derived from the key is kept between calls (a cache per key would hold a copy of every tenant's key runs for
 * as long as the key lives).
 *
 * @param text - What the server or the network said.
 * @param keys - The key (or keys) the call sent; `undefined` only caps the text.
 * @param options - {@link RedactKeyOptions}.
 * @returns `text` without the key, cut after its first `maxLength` characters.
 * @example
 * ```ts
 * redactKey(`Invalid API key ${key.reveal().slice(0, 24)}...`, key);
 * // "Invalid API key <key sha256:3f0c9a1b2c4d>..."
 * ```
 */
export function redactKey(text: string, keys: CallKeys, options?: RedactKeyOptions): string {
  const maxLength = options?.maxLength ?? 1_000;
  const window = text.length > maxLength + MIN_KEY_RUN ? text.slice(0, maxLength + MIN_KEY_RUN) : text;
  let covered: Uint8Array | undefined;
  if (Array.isArray(keys)) {
    const list = keys as readonly ApiKey[];
    for (let index = 0; index < list.length; index++)
      covered = coveredRuns(window, formsOf(list[index] as ApiKey), index + 1, covered);
  } else if (keys !== undefined) {
    covered = coveredRuns(window, formsOf(keys as ApiKey), 1, covered);
  }
  if (covered === undefined) return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  const marks = covered;
  let out = "";
  let i = 0;
  while (i < window.length && i < maxLength) {
    const start = i;
    const owner = marks[i] as number;
    if (owner !== 0) {
      while (i < window.length && marks[i] !== 0) i++;
      const key = Array.isArray(keys) ? (keys as readonly ApiKey[])[owner - 1] : keys;
      out += `<key ${(key as ApiKey).fingerprint}>`;
    } else {
      while (i < window.length && i < maxLength && marks[i] === 0) i++;
      out += window.slice(start, i);
    }
  }
  return i < text.length ? `${out}…` : out;
}

/** The characters below 128 of the form being looked for, one bit each: scratch space, filled for each form. */
const charset = new Uint32Array(4);

/**
 * Marks with `mark` each character of `text` that lies in a run of one of `forms` (and is not marked yet);
 * returns the marks, `undefined` while nothing is marked. Most texts (a path, a request id) hold no run of the
 * key: only a stretch of `text` made of characters the form has is compared with it, and nothing is allocated
 * until a run is found.
 */
function coveredRuns(
  text: string,
  forms: readonly string[],
  mark: number,
  covered: Uint8Array | undefined,
): Uint8Array | undefined {
  let marks = covered;
  for (const form of forms) {
    const length = Math.min(MIN_KEY_RUN, form.length);
    if (length === 0 || text.length < length) continue;
    charset.fill(0);
    for (let j = 0; j < form.length; j++) {
      const code = form.charCodeAt(j);
      if (code < 128) (charset[code >> 5] as number) |= 1 << (code & 31);
    }
    let stretch = 0;
    for (let end = 0; end < text.length; end++) {
      const code = lowerCode(text.charCodeAt(end));
      // A character the form lacks ends the stretch; one above 127 is left to the comparison.
      if (code < 128 && ((charset[code >> 5] as number) & (1 << (code & 31))) === 0) {
        stretch = 0;
        continue;
      }
      if (++stretch < length) continue;
      const start = end - length + 1;
      if (!holdsRun(form, text, start, length)) continue;
      marks ??= new Uint8Array(text.length);
      for (let j = start; j <= end; j++) if (marks[j] === 0) marks[j] = mark;
    }
  }
  // Which characters the key has is not kept past the call either.
  charset.fill(0);
  return marks;
}

/** Whether `form` (lowercased) holds the `length` characters of `text` from `start`, lowercased. */
function holdsRun(form: string, text: string, start: number, length: number): boolean {
  // A one-character string: V8 keeps those of Latin-1, so looking one up allocates nothing.
  const first = String.fromCharCode(lowerCode(text.charCodeAt(start)));
  const last = form.length - length;
  for (let j = form.indexOf(first); j !== -1 && j <= last; j = form.indexOf(first, j + 1)) {
    let k = 1;
    while (k < length && form.charCodeAt(j + k) === lowerCode(text.charCodeAt(start + k))) k++;
    if (k === length) return true;
  }
  return false;
}

/** A character code with A-Z lowercased. */
function lowerCode(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/** Characters every written form keeps as they are: JSON, URL and form encoding leave them alone. */
const PLAIN_KEY = /^[A-Za-z0-9._~-]*$/;

/** The ways a server may write `key`, lowercased, each once. */
function formsOf(key: ApiKey): string[] {
  const secret = key.reveal();
  // Most keys (base64url, hex) are written the same way in every form: one form, no encoding work per call. It
  // is ASCII, where toLowerCase() lowercases A-Z alone.
  if (PLAIN_KEY.test(secret)) return [secret.toLowerCase()];
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set([
    secret,
    json,
    json.replaceAll("/", "\\/"),
    encodeURIComponent(secret),
    new URLSearchParams({ k: secret }).toString().slice(2),
  ]);
  return [...forms].map(asciiLowerCase);
}

/** Lowercases A-Z only, so every index of the result is the same character of the input. */
function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
