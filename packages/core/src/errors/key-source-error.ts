import { OnceKeyError } from "./once-key-error.js";

/**
 * The key source failed: a file could not be read, the vault refused or is down, a provider threw.
 *
 * Transient by default: `cached` serves the last good key when this happens after a key was loaded
 * (stale-if-error). Pass `transient: false` for a failure that will not pass by itself (a refused permission).
 * Code `KEY_SOURCE`.
 *
 * @example
 * ```ts
 * throw new KeySourceError("Could not read /run/secrets/oncehub: permission denied. Give the process read access.", {
 *   source: "file:/run/secrets/oncehub",
 *   cause: error,
 * });
 * ```
 */
export class KeySourceError extends OnceKeyError {
  static override readonly code: string = "KEY_SOURCE";
  static override readonly brand: string = "KeySourceError";
  static override readonly transient: boolean = true;
}
