/** Marks oncekey errors across duplicate installs: the brand lists the class names of the error's chain. */
const BRAND = Symbol.for("oncekey.error");

/**
 * What every oncekey error constructor takes besides its message.
 *
 * @example
 * ```ts
 * throw new KeySourceError(`Cannot read ${shown}: the store did not answer.`, {
 *   source,
 *   cause: error,
 *   transient: true,
 * });
 * ```
 */
export interface OnceKeyErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  readonly cause?: unknown;
  /** Where the key came from or was headed, e.g. `env:ONCEHUB_API_KEY`; never the key itself. */
  readonly source?: string;
  /**
   * Whether the same call may succeed later without anyone changing anything (a file caught mid-rewrite, a vault
   * that throttled): `cached` then serves the last good key for a while. Each class has a default.
   * @defaultValue the class's `transient`
   */
  readonly transient?: boolean;
}

/**
 * The base of every error oncekey throws: a stable `code`, a message that says what to do, an optional `cause`
 * and `source`, and never the key.
 *
 * Check errors with the static `is()` of a class rather than `instanceof`: it works across duplicate installs of
 * the package (it reads a `Symbol.for` brand), and it narrows the type.
 *
 * @example
 * ```ts
 * try {
 *   await provider.getKey();
 * } catch (error) {
 *   if (KeyNotFoundError.is(error)) console.error(error.code, error.message); // KEY_NOT_FOUND …
 * }
 * ```
 */
export class OnceKeyError extends Error {
  /** The stable code of this class, copied to each instance's `code`. */
  static readonly code: string = "ONCEKEY";
  /** The name recorded in the brand; set per class so it survives minification. */
  static readonly brand: string = "OnceKeyError";
  /** Whether errors of this class pass by themselves, unless the constructor says otherwise. */
  static readonly transient: boolean = false;

  /** A stable, machine-readable code such as `KEY_NOT_FOUND`. */
  readonly code: string;
  /** Where the key came from or was headed, when known. */
  declare readonly source: string | undefined;
  /** What the constructor was told of `transient`, when it was. */
  readonly #transient: boolean | undefined;
  /**
   * The brand names of the error's class chain, under `Symbol.for("oncekey.error")`: what `is()` reads, so it
   * works across duplicate installs. Use `is()`.
   * @internal
   */
  declare readonly [BRAND]: readonly string[];

  /**
   * @param message - What went wrong and what to do about it; must not contain the key.
   * @param options - `cause`, `source` and `transient`.
   */
  constructor(message: string, options: OnceKeyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const type = new.target as typeof OnceKeyError;
    this.name = type.brand;
    this.code = type.code;
    if (options.source !== undefined) this.source = options.source;
    this.#transient = options.transient;
    Object.defineProperty(this, BRAND, { value: brandsOf(type), enumerable: false });
  }

  /**
   * Whether the same call may succeed later without anyone changing anything: a source failure that passes, a
   * network failure, a rate limit. `cached` serves the last good key through a transient source failure, never
   * through one that is not (no key configured, a malformed key). The class's default unless the constructor was
   * told otherwise.
   */
  get transient(): boolean {
    return this.#transient ?? (this.constructor as typeof OnceKeyError).transient;
  }

  /**
   * Tells whether `value` is an error of this class (or a subclass), also when it comes from another copy of
   * the package.
   *
   * @example
   * ```ts
   * if (AuthenticationError.is(error)) console.error(error.fingerprint);
   * ```
   */
  static is<T extends abstract new (...args: never[]) => OnceKeyError>(
    this: T & { readonly brand: string },
    value: unknown,
  ): value is InstanceType<T> {
    if (typeof value !== "object" || value === null) return false;
    const brands = (value as { [BRAND]?: unknown })[BRAND];
    return Array.isArray(brands) && brands.includes(this.brand);
  }
}

const brandCache = new WeakMap<object, readonly string[]>();

function brandsOf(type: typeof OnceKeyError): readonly string[] {
  let brands = brandCache.get(type);
  if (brands === undefined) {
    const names: string[] = [];
    for (let t: unknown = type; typeof t === "function" && "brand" in t; t = Object.getPrototypeOf(t)) {
      const brand = (t as typeof OnceKeyError).brand;
      if (!names.includes(brand)) names.push(brand);
    }
    brands = Object.freeze(names);
    brandCache.set(type, brands);
  }
  return brands;
}
