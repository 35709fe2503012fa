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
 * It reads at most `maxLength + 8` characters and looks each 8-character window up in the key's written forms, so
 * the cost is linear in `maxLength` times the key's length, and nothing derived from the key is kept between
 * calls (a cache per key would hold a copy of every tenant's key runs for as long as the key lives).
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
export function redactKey(text: string, keys: CallKeys, options: RedactKeyOptions = {}): string {
  const maxLength = options.maxLength ?? 1_000;
  const window = text.length > maxLength + MIN_KEY_RUN ? text.slice(0, maxLength + MIN_KEY_RUN) : text;
  const list: readonly ApiKey[] = keys === undefined ? [] : Array.isArray(keys) ? keys : [keys as ApiKey];
  let covered: Uint8Array | undefined;
  list.forEach((key, index) => {
    covered = coveredRuns(window, formsOf(key), index + 1, covered);
  });
  if (covered === undefined) return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  const marks = covered as Uint8Array;
  let out = "";
  let i = 0;
  while (i < window.length && i < maxLength) {
    const start = i;
    const owner = marks[i] as number;
    if (owner !== 0) {
      while (i < window.length && marks[i] !== 0) i++;
      out += `<key ${(list[owner - 1] as ApiKey).fingerprint}>`;
    } else {
      while (i < window.length && i < maxLength && marks[i] === 0) i++;
      out += window.slice(start, i);
    }
  }
  return i < text.length ? `${out}…` : out;
}

/**
 * Marks with `mark` each character of `text` that lies in a run of one of `forms` (and is not marked yet);
 * returns the marks, `undefined` while nothing is marked.
 */
function coveredRuns(
  text: string,
  forms: readonly string[],
  mark: number,
  covered: Uint8Array | undefined,
): Uint8Array | undefined {
  const lower = asciiLowerCase(text);
  let marks = covered;
  for (const form of forms) {
    const length = Math.min(MIN_KEY_RUN, form.length);
    for (let i = 0; i + length <= lower.length; i++) {
      if (!form.includes(lower.slice(i, i + length))) continue;
      marks ??= new Uint8Array(text.length);
      for (let j = i; j < i + length; j++) if (marks[j] === 0) marks[j] = mark;
    }
  }
  return marks;
}

/** Characters every written form keeps as they are: JSON, URL and form encoding leave them alone. */
const PLAIN_KEY = /^[A-Za-z0-9._~-]*$/;

/** The ways a server may write `key`, lowercased, each once. */
function formsOf(key: ApiKey): string[] {
  const secret = key.reveal();
  // Most keys (base64url, hex) are written the same way in every form: one form, no encoding work per call.
  if (PLAIN_KEY.test(secret)) return [asciiLowerCase(secret)];
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
