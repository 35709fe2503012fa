import { createHash, timingSafeEqual } from "node:crypto";
import { inspect } from "node:util";
import { KeyFormatError } from "../errors/key-format-error.js";
import { describeKeyProblem } from "./describe-key-problem.js";

/**
 * Options of {@link ApiKey.from}.
 *
 * @example
 * ```ts
 * const key = ApiKey.from(raw, { source: `file:${path}` });
 * ```
 */
export interface ApiKeyOptions {
  /**
   * Where the key came from, shown in errors, logs and events: `env:ONCEHUB_API_KEY`,
   * `file:/run/secrets/oncehub`, `azure-keyvault:<vault>/<name>`.
   * @defaultValue `"unknown"`
   */
  readonly source?: string | undefined;
}

/**
 * An OnceHub API key: validated, fingerprinted, and hard to leak.
 *
 * The secret lives in a private field; `reveal()` is the only way to read it. `toString()`, `toJSON()` and
 * `util.inspect` (so `console.log`) show only the fingerprint and the source. The fingerprint is `sha256:` and
 * the first 12 hex characters of the key's SHA-256: stable across processes, safe to log, not reversible.
 *
 * A valid key is 1 to 512 visible ASCII characters (0x21-0x7E). One trailing newline, as files and vaults often
 * add, is dropped; anything else (a BOM, CR LF, spaces, control or non-ASCII characters) is a
 * {@link KeyFormatError} that says what and where, never the key. So no header injection is possible.
 *
 * @example
 * ```ts
 * const key = ApiKey.from(process.env.ONCEHUB_API_KEY ?? "", { source: "env:ONCEHUB_API_KEY" });
 * console.log(`${key}`); // ApiKey(sha256:3f0c9a1b2c4d from env:ONCEHUB_API_KEY)
 * headers["API-Key"] = key.reveal();
 * ```
 */
export class ApiKey {
  readonly #value: string;
  /** `sha256:` and the first 12 hex characters of SHA-256(key). */
  readonly fingerprint: string;
  /** Where the key came from. */
  readonly source: string;

  private constructor(value: string, source: string) {
    this.#value = value;
    // Only the fingerprint is kept: a multi-tenant cache holds thousands of keys, and equals() is rare.
    this.fingerprint = `sha256:${digest(value).toString("hex", 0, 6)}`;
    this.source = source;
    Object.freeze(this);
  }

  /**
   * Validates `raw` and wraps it.
   *
   * @param raw - The key as read; one trailing `\n` is dropped.
   * @param options - {@link ApiKeyOptions}.
   * @throws {@link KeyFormatError} when `raw` is not a string or not a valid key; the message never holds it.
   */
  static from(raw: string, options: ApiKeyOptions = {}): ApiKey {
    if (typeof options !== "object" || options === null) {
      throw new TypeError("ApiKey.from: options must be an object such as { source } or left out.");
    }
    if (options.source !== undefined && typeof options.source !== "string") {
      throw new TypeError("ApiKey.from: source must be a string such as env:ONCEHUB_API_KEY.");
    }
    const source = options.source ?? "unknown";
    if (typeof raw !== "string") {
      throw new KeyFormatError(
        `The OnceHub API key from ${source} is not a string (got ${raw === null ? "null" : typeof raw}).`,
        { source },
      );
    }
    const value = raw.endsWith("\n") && !raw.endsWith("\r\n") ? raw.slice(0, -1) : raw;
    const problem = describeKeyProblem(value);
    if (problem !== undefined) {
      throw new KeyFormatError(
        `The OnceHub API key from ${source} ${problem}. Copy the key again from OnceHub ` +
          `(Account Integrations > APIs & Webhooks) into ${source}.`,
        { source },
      );
    }
    return new ApiKey(value, source);
  }

  /** Returns the secret. Call it only where the key leaves the process: the `API-Key` header. */
  reveal(): string {
    return this.#value;
  }

  /** Compares two keys in constant time (their SHA-256 digests); the sources do not matter. */
  equals(other: ApiKey): boolean {
    return other instanceof ApiKey && timingSafeEqual(digest(this.#value), digest(other.#value));
  }

  /** `ApiKey(<fingerprint> from <source>)`. */
  toString(): string {
    return `ApiKey(${this.fingerprint} from ${this.source})`;
  }

  /** `{ fingerprint, source }`, so `JSON.stringify` never writes the key. */
  toJSON(): {
    /** The key's {@link ApiKey.fingerprint}. */
    fingerprint: string;
    /** The key's {@link ApiKey.source}. */
    source: string;
  } {
    return { fingerprint: this.fingerprint, source: this.source };
  }

  /** What `util.inspect`, and so `console.log`, shows: the same as `toString()`, never the key. */
  [inspect.custom](): string {
    return this.toString();
  }
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "latin1").digest();
}
