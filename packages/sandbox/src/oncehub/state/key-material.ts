import { hash, randomBytes } from "node:crypto";

/**
 * Creates a new raw API key: 32 random bytes as 43 URL-safe characters, opaque like OnceHub's own keys.
 *
 * @example
 * ```ts
 * const raw = generateApiKey(); // "q3V0…" (43 characters)
 * ```
 */
export function generateApiKey(): string {
  return randomBytes(32).toString("base64url");
}

/** The longest key the sandbox accepts, as the oncekey packages do. */
const MAX_KEY_LENGTH = 512;

function describeCharacter(code: number): string {
  if (code === 0x20) return "a space";
  if (code === 0x0a || code === 0x0d) return "a line break";
  if (code === 0x09) return "a tab";
  if (code < 0x20 || code === 0x7f) return "a control character";
  return "a character outside visible ASCII";
}

/**
 * Checks a key given to the sandbox: 1 to 512 visible ASCII characters (0x21-0x7E), the keys every oncekey
 * package accepts, so one that works here works with a client too. Messages say what is wrong and where, never
 * the key.
 *
 * @param value - what was given
 * @param label - how messages name it, e.g. `"startSandbox: key"`
 * @returns the key
 * @throws TypeError for anything else
 * @example
 * ```ts
 * const key = checkApiKey(options.key, "startSandbox: key");
 * ```
 */
export function checkApiKey(value: unknown, label: string): string {
  if (typeof value !== "string") throw new TypeError(`${label} must be a string, got ${typeof value}.`);
  if (value.length === 0 || value.length > MAX_KEY_LENGTH) {
    throw new TypeError(
      `${label} must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters; it has ${value.length}.`,
    );
  }
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) {
      throw new TypeError(
        `${label} must be visible ASCII characters only; character ${i + 1} of ${value.length} is ` +
          `${describeCharacter(code)}.`,
      );
    }
  }
  return value;
}

/** The SHA-256 of a raw key, lowercase hex: the only form in which the sandbox keeps a key. */
export function hashApiKey(raw: string): string {
  return hash("sha256", raw, "hex");
}

/** `"sha256:"` and the first 12 hex characters of a key hash. */
export function fingerprintOfHash(keyHash: string): string {
  return `sha256:${keyHash.slice(0, 12)}`;
}

/**
 * The fingerprint of a raw API key: `"sha256:"` and the first 12 hex characters of its SHA-256.
 *
 * Computed here independently of `@oncekey/core`, so a test that compares the two catches a bug in either.
 * A fingerprint names a key in logs and assertions without revealing it.
 *
 * @param raw - the raw API key
 * @example
 * ```ts
 * expect(sandbox.requests.last()?.fingerprint).toBe(keyFingerprint(sandbox.key));
 * ```
 */
export function keyFingerprint(raw: string): string {
  return fingerprintOfHash(hashApiKey(raw));
}
