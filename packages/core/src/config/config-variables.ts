import { ConfigError } from "../errors/config-error.js";
import { configVariable } from "./config-variable.js";
import type { OnceKeyConfig } from "./key-source.js";

/**
 * Options of {@link requireConfigVariable}.
 *
 * @example
 * ```ts
 * const url = requireConfigVariable(config, "MY_STORE_URL", {
 *   source: "my-store",
 *   example: "https://store.example.com",
 *   tenantTemplate: false,
 * });
 * ```
 */
export interface RequireConfigVariableOptions {
  /** The source that needs the variable, e.g. `file`. */
  readonly source: string;
  /** An example value for the message. */
  readonly example: string;
  /**
   * Whether the value may hold a `{tenant}` placeholder.
   * @defaultValue `true`
   */
  readonly tenantTemplate?: boolean;
}

/**
 * Returns a source's variable from the configuration, or throws a {@link ConfigError} that names the variable,
 * the source that needs it and an example. Blank values count as missing.
 *
 * @param config - The configuration, from `loadConfig`.
 * @param variable - The variable's name, e.g. `ONCEKEY_FILE_PATH`.
 * @param options - {@link RequireConfigVariableOptions}: the source, an example value, and whether `{tenant}` may
 *   appear.
 * @returns The value, trimmed.
 * @example
 * ```ts
 * const path = requireConfigVariable(config, "ONCEKEY_FILE_PATH", { source: "file", example: "/run/secrets/oncehub" });
 * ```
 */
export function requireConfigVariable(
  config: OnceKeyConfig,
  variable: string,
  options: RequireConfigVariableOptions,
): string {
  const value = configVariable(config.env, variable)?.trim();
  if (value === undefined || value === "") {
    throw new ConfigError(
      `ONCEKEY_SOURCE includes "${options.source}", but ${variable} is not set. ` +
        `Set ${variable}, e.g. ${variable}=${options.example}, or remove "${options.source}" from ONCEKEY_SOURCE.`,
      { variable },
    );
  }
  if (options.tenantTemplate === false) rejectTenantTemplate(value, variable, options.source);
  return value;
}

/**
 * Throws a {@link ConfigError} when `value` holds a `{tenant}` placeholder that the source cannot take.
 *
 * @param value - The variable's value.
 * @param variable - The variable's name, for the message, e.g. `ONCEKEY_DOTENV_PATH`.
 * @param source - The source that reads it, for the message, e.g. `dotenv`.
 * @example
 * ```ts
 * rejectTenantTemplate(path, "ONCEKEY_DOTENV_PATH", "dotenv");
 * ```
 */
export function rejectTenantTemplate(value: string, variable: string, source: string): void {
  if (value.includes("{tenant}")) {
    throw new ConfigError(
      `${variable} holds "{tenant}", but the "${source}" source cannot take a per-tenant value in ${variable}. ` +
        `Remove "{tenant}" from ${variable}.`,
      { variable },
    );
  }
}
