import { KeyFormatError, KeyNotFoundError, KeySourceError } from "@oncekey/core";
import type { KeyFileTarget } from "../path/key-path-template.js";

/**
 * Takes a key file that served a key and then went missing, empty or broken for a rewrite in progress, for
 * `graceMs` after that was first seen: meanwhile its "not found" or "bad format" becomes a `KeySourceError`, which
 * `cached` answers with the last good key (a `key:stale` event). After it, the removal or the error stands. The same
 * rule as `fromDotenv`'s `rewriteGraceMs`.
 *
 * Remembers at most `maxFiles` files, the least recently served forgotten first.
 */
export class RewriteGrace {
  readonly #graceMs: number;
  readonly #maxFiles: number;
  /** File → since when it looks broken, or `undefined` while it serves a key. */
  readonly #files = new Map<string, number | undefined>();

  constructor(graceMs: number, maxFiles: number) {
    this.#graceMs = graceMs;
    this.#maxFiles = maxFiles;
  }

  /** Records that `target` served a key. */
  served(target: KeyFileTarget): void {
    this.#files.delete(target.path);
    this.#files.set(target.path, undefined);
    if (this.#files.size > this.#maxFiles) {
      const oldest = this.#files.keys().next();
      if (oldest.done !== true) this.#files.delete(oldest.value);
    }
  }

  /** Returns what to throw for `error` from reading `target`: itself, or a `KeySourceError` within the grace. */
  excuse(target: KeyFileTarget, error: unknown, now = Date.now()): unknown {
    if (this.#graceMs === 0 || !this.#files.has(target.path)) return error;
    if (!KeyNotFoundError.is(error) && !KeyFormatError.is(error)) return error;
    const since = this.#files.get(target.path) ?? now;
    this.#files.set(target.path, since);
    const age = now - since;
    if (age >= this.#graceMs) return error;
    const what = KeyNotFoundError.is(error) ? "is gone" : "holds no valid key";
    return new KeySourceError(
      `The key file ${target.display}, which held a key, ${what} (for ${age} ms); taking it for a rewrite in ` +
        `progress for up to ${this.#graceMs} ms (rewriteGraceMs).`,
      { source: target.source, cause: error },
    );
  }
}
