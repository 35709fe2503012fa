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
