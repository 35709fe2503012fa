import { MAX_QUOTED_NAME_LENGTH } from "../config/quotable-config-value.js";
import { isValidTenant } from "./validate-tenant.js";

/** How many leading characters of a long tenant id a message shows: fewer than any run that counts as a key's. */
const SHOWN_PREFIX = 6;

/**
 * A tenant id as a message may name it: quoted in full when it is a valid id of at most
 * {@link MAX_QUOTED_NAME_LENGTH} characters; a longer valid id by its first characters and length (an API key
 * passed where a tenant id belongs is a valid id, and must not reach a log); anything else by what it is. Never a
 * line break or a control character.
 *
 * @param tenant - The id as given.
 * @returns `"acme"`, `"3f2a9c…" (a tenant id of 36 characters)` or `a tenant id that is not valid (…)`.
 * @example
 * ```ts
 * `No key for tenant ${describeTenant(request.tenant)}.`;
 * ```
 */
export function describeTenant(tenant: unknown): string {
  if (!isValidTenant(tenant)) {
    return typeof tenant === "string"
      ? `(a tenant id that is not valid, of ${tenant.length} characters)`
      : `(a tenant id that is not a string: ${tenant === null ? "null" : typeof tenant})`;
  }
  if (tenant.length <= MAX_QUOTED_NAME_LENGTH) return `"${tenant}"`;
  return `"${tenant.slice(0, SHOWN_PREFIX)}…" (a tenant id of ${tenant.length} characters)`;
}
