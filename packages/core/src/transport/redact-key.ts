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
 * @param key - The key that was sent; `undefined` only caps the text.
 * @param options - {@link RedactKeyOptions}.
 * @returns `text` without the key, cut after its first `maxLength` characters.
 * @example
 * ```ts
 * redactKey(`Invalid API key ${key.reveal().slice(0, 24)}...`, key);
 * // "Invalid API key <key sha256:3f0c9a1b2c4d>..."
 * ```
 */
export function redactKey(text: string, key: ApiKey | undefined, options: RedactKeyOptions = {}): string {
  const maxLength = options.maxLength ?? 1_000;
  const window = text.length > maxLength + MIN_KEY_RUN ? text.slice(0, maxLength + MIN_KEY_RUN) : text;
  const covered = key === undefined ? undefined : coveredRuns(window, formsOf(key));
  if (key === undefined || covered === undefined) {
    return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  }
  const marker = `<key ${key.fingerprint}>`;
  let out = "";
  let i = 0;
  while (i < window.length && i < maxLength) {
    const start = i;
    if (covered[i] === 1) {
      while (i < window.length && covered[i] === 1) i++;
      out += marker;
    } else {
      while (i < window.length && i < maxLength && covered[i] === 0) i++;
      out += window.slice(start, i);
    }
  }
  return i < text.length ? `${out}…` : out;
}

/** Marks each character of `text` that lies in a run of one of `forms`; `undefined` when there is none. */
function coveredRuns(text: string, forms: readonly string[]): Uint8Array | undefined {
  const lower = asciiLowerCase(text);
  let covered: Uint8Array | undefined;
  for (const form of forms) {
    const length = Math.min(MIN_KEY_RUN, form.length);
    for (let i = 0; i + length <= lower.length; i++) {
      if (!form.includes(lower.slice(i, i + length))) continue;
      covered ??= new Uint8Array(text.length);
      covered.fill(1, i, i + length);
    }
  }
  return covered;
}

/** The ways a server may write `key`, lowercased, each once. */
function formsOf(key: ApiKey): string[] {
  const secret = key.reveal();
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
