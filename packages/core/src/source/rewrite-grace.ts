import { LRUCache } from "lru-cache";
import { KeyFormatError } from "../errors/key-format-error.js";
import { KeyNotFoundError } from "../errors/key-not-found-error.js";

/**
 * What a {@link RewriteGrace} says about the key it excuses.
 * @inline
 */
export interface GraceSubject {
  /** The key's place, as the start of a sentence: `The key file /run/secrets/oncehub`, `ONCEHUB_API_KEY in .env`. */
  readonly what: string;
  /** The `source` of the error. */
  readonly source: string;
  /** When the content last changed, if the source knows; else the grace runs from when the failure was first seen. */
  readonly changedAt?: number | undefined;
}

/**
 * Takes a key that was served and then went missing, empty or broken for a rewrite in progress (a file truncated
 * then written, deleted then written, a `.env` saved by an editor), for `graceMs`: meanwhile its "not found" or
 * "bad format" is rethrown as transient (the same class and code, `transient: true`), so `cached` serves the last
 * good key with a `key:stale` event. After it, the removal or the error stands as it is. Every file source applies
 * the same rule, set by its `rewriteGraceMs` option.
 *
 * Remembers at most `maxEntries` keys, the least recently served forgotten first.
 *
 * @example
 * ```ts
 * const grace = new RewriteGrace(5_000, 10_000);
 * try {
 *   const key = await readKey(path);
 *   grace.served(path);
 *   return key;
 * } catch (error) {
 *   throw grace.excuse(path, error, { what: `The key file ${path}`, source: `file:${path}` });
 * }
 * ```
 */
export class RewriteGrace {
  readonly #graceMs: number;
  /** Key id → since when it looks broken (`undefined` while it serves a key). */
  readonly #entries: LRUCache<string, { brokenSince: number | undefined }>;

  /**
   * @param graceMs - How long a broken key is taken for a rewrite in progress; `0` never.
   * @param maxEntries - The most keys remembered.
   */
  constructor(graceMs: number, maxEntries: number) {
    this.#graceMs = graceMs;
    this.#entries = new LRUCache({ max: maxEntries });
  }

  /** Records that the key `id` (a path, a variable) served a key. */
  served(id: string): void {
    this.#entries.set(id, { brokenSince: undefined });
  }

  /**
   * Returns what to throw for `error` from reading `id`: the error itself, or, within the grace, a transient copy
   * saying that a rewrite is taken to be in progress (the original as its `cause`).
   */
  excuse(id: string, error: unknown, subject: GraceSubject, now = Date.now()): unknown {
    if (this.#graceMs === 0) return error;
    const entry = this.#entries.get(id);
    if (entry === undefined) return error;
    const notFound = KeyNotFoundError.is(error);
    if (!notFound && !KeyFormatError.is(error)) return error;
    entry.brokenSince ??= subject.changedAt ?? now;
    const age = now - entry.brokenSince;
    if (age >= this.#graceMs) return error;
    const message =
      `${subject.what}, which held a key, ${notFound ? "is gone" : "holds no valid key"} (for ${age} ms); taking ` +
      `it for a rewrite in progress for up to ${this.#graceMs} ms (rewriteGraceMs).`;
    const options = { source: subject.source, cause: error, transient: true };
    return notFound ? new KeyNotFoundError(message, options) : new KeyFormatError(message, options);
  }
}
