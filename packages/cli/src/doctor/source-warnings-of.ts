import { keyVaultMetadata } from "@oncekey/azure-keyvault";
import type { ApiKey } from "@oncekey/core";
import { dotenvLocation, keyFileLocation } from "../config/key-locations.js";
import type { ReportWarning } from "../output/command-report.js";
import { fileWarnings } from "./file-warnings.js";
import { keyAgeWarning } from "./key-age.js";

/**
 * The warnings about where one source keeps the key it served: the key file's or `.env` file's permissions, git
 * and age, or the age of the Key Vault secret version (its `updated` time). The `env` source knows nothing of
 * the sort.
 *
 * @param name - The source's name.
 * @param key - The key it served.
 * @param env - The configuration.
 * @param tenant - The tenant whose key it is.
 * @param now - Today.
 * @example
 * ```ts
 * const warnings = await sourceWarningsOf("file", key, process.env, undefined, new Date());
 * ```
 */
export async function sourceWarningsOf(
  name: string,
  key: ApiKey,
  env: Readonly<Record<string, string | undefined>>,
  tenant: string | undefined,
  now: Date,
): Promise<ReportWarning[]> {
  switch (name) {
    case "file": {
      const location = keyFileLocation(env, tenant);
      return location === undefined ? [] : fileWarnings({ ...location, kind: "key file" }, now);
    }
    case "dotenv": {
      const location = await dotenvLocation(env, tenant);
      return location === undefined ? [] : fileWarnings({ ...location, kind: ".env file" }, now);
    }
    case "azure-keyvault": {
      const updated = keyVaultMetadata(key)?.updatedOn;
      const warning =
        updated === undefined
          ? undefined
          : keyAgeWarning(updated, `The key in ${key.source}`, "its Key Vault version was last updated", now);
      return warning === undefined ? [] : [warning];
    }
    default:
      return [];
  }
}
