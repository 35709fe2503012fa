import { OnceKeyError, type OnceKeyErrorOptions } from "./once-key-error.js";

/**
 * Options of {@link InvalidTenantError}.
 *
 * @example
 * ```ts
 * throw new InvalidTenantError(`Tenant id ${describeTenant(tenant)} cannot name a secret here.`, { tenant });
 * ```
 */
export interface InvalidTenantErrorOptions extends OnceKeyErrorOptions {
  /** The rejected tenant id, when it is short enough to be shown (see `validateTenant`). */
  readonly tenant?: string;
}

/**
 * A tenant id is not valid, or the key source cannot store it as is. Thrown before any I/O. Code
 * `INVALID_TENANT`.
 *
 * @example
 * ```ts
 * expect(() => client.forTenant("../etc")).toThrow(InvalidTenantError);
 * ```
 */
export class InvalidTenantError extends OnceKeyError {
  static override readonly code: string = "INVALID_TENANT";
  static override readonly brand: string = "InvalidTenantError";

  /**
   * The rejected tenant id; `undefined` for one over 20 characters, which may be a key passed by mistake and is
   * described by its length instead.
   */
  declare readonly tenant: string | undefined;

  constructor(message: string, options: InvalidTenantErrorOptions = {}) {
    super(message, options);
    if (options.tenant !== undefined) this.tenant = options.tenant;
  }
}
