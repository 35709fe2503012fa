import { MAX_QUOTED_NAME_LENGTH } from "../config/quotable-config-value.js";
import { InvalidTenantError } from "../errors/invalid-tenant-error.js";

const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * Tells whether `tenant` is a valid tenant id: 1 to 128 characters of `A-Z a-z 0-9 _ -`, starting with a letter
 * or digit.
 *
 * The rule keeps tenant ids safe to put in a file path, an environment variable name or a vault secret name
 * (where a source may be stricter still).
 *
 * @param tenant - Any value; only a string can be valid.
 * @example
 * ```ts
 * isValidTenant("acme-42"); // true
 * isValidTenant("../etc"); // false
 * ```
 */
export function isValidTenant(tenant: unknown): tenant is string {
  return typeof tenant === "string" && TENANT_PATTERN.test(tenant);
}

/**
 * Returns `tenant` when it is a valid tenant id, and throws {@link InvalidTenantError} otherwise. Call it before
 * any I/O that uses the id.
 *
 * @param tenant - The id to check.
 * @throws {@link @oncekey/core!InvalidTenantError | InvalidTenantError} naming the rule that the id breaks.
 * @example
 * ```ts
 * const id = validateTenant(request.headers["x-tenant"]);
 * ```
 */
export function validateTenant(tenant: unknown): string {
  if (isValidTenant(tenant)) return tenant;
  if (typeof tenant !== "string") {
    throw new InvalidTenantError(
      `A tenant id must be a string, got ${tenant === null ? "null" : typeof tenant}.`,
    );
  }
  // A short id is shown; a longer one may be a key passed by mistake, so it is described by length and position.
  const quotable = tenant.length <= MAX_QUOTED_NAME_LENGTH;
  const shown = quotable ? JSON.stringify(tenant) : `of ${tenant.length} characters`;
  const other = tenant.search(/[^A-Za-z0-9_-]/);
  const why =
    tenant.length === 0
      ? "is empty"
      : tenant.length > 128
        ? `is ${tenant.length} characters long (at most 128)`
        : /^[_-]/.test(tenant)
          ? "must start with a letter or digit"
          : `may hold only letters, digits, '_' and '-' (another character is at position ${other + 1})`;
  throw new InvalidTenantError(
    `Invalid tenant id ${shown}: it ${why}. Tenant ids match ^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$.`,
    quotable ? { tenant } : {},
  );
}
