import { quotableConfigValue } from "@oncekey/core/source";
import type { ParsedOptions } from "./parse-command-line.js";

/** `--tenant`, and how output shows it. */
export interface TenantOption {
  /** The tenant id as given, if any. */
  readonly tenant: string | undefined;
  /** The id as output may show it: itself, or `<--tenant>` when it could be a key given in the wrong place. */
  readonly shown: string | undefined;
  /** For `finishReport`: the id to hide in messages, when it is not shown. */
  readonly hidden: readonly (readonly [string, string])[];
}

/**
 * Reads `--tenant`. An id is repeated in output only when the library's rule for names would repeat it (letters,
 * digits, `_` and `-`, at most 20 of them): a longer one could be a key pasted after `--tenant`.
 *
 * @param options - The parsed command line.
 * @example
 * ```ts
 * const { tenant, hidden } = tenantOption(options);
 * ```
 */
export function tenantOption(options: ParsedOptions): TenantOption {
  const tenant = typeof options.tenant === "string" ? options.tenant : undefined;
  if (tenant === undefined) return { tenant, shown: undefined, hidden: [] };
  if (quotableConfigValue(tenant, "name") !== undefined) return { tenant, shown: tenant, hidden: [] };
  return { tenant, shown: "<--tenant>", hidden: tenant === "" ? [] : [[tenant, "<--tenant>"]] };
}
