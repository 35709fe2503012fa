import { hash, randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function encode(bytes: Uint8Array, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] ?? 0) % ALPHABET.length];
  return out;
}

/** A random OnceHub-style id such as `WHK-7JD9LBVZTQ`: a prefix and upper-case letters and digits. */
export function randomId(prefix: string, length: number): string {
  return `${prefix}-${encode(randomBytes(length), length)}`;
}

/** Upper-case letters and digits derived from `seed` (at most 32): the same seed always gives the same code. */
export function seededCode(length: number, seed: string): string {
  return encode(hash("sha256", seed, "buffer"), length);
}

/** Like {@link randomId}, but the same seed always gives the same id, so seeded data is stable for a seed. */
export function seededId(prefix: string, length: number, seed: string): string {
  return `${prefix}-${seededCode(length, seed)}`;
}

/**
 * Hands out `Request-Id` values (`req_` and 16 hex characters): a random per-server prefix and a counter, so ids
 * are unique without a random draw on the hot path.
 */
export function createRequestIds(): () => string {
  const prefix = randomBytes(4).toString("hex");
  let counter = 0;
  return () => {
    counter = (counter + 1) >>> 0;
    return `req_${prefix}${counter.toString(16).padStart(8, "0")}`;
  };
}
