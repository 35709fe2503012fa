import type { OnceKeyConfig } from "@oncekey/core";

/**
 * `ONCEKEY_ENV_VAR` as the `variable` option of `fromEnv` and `fromDotenv`, when it is set; blank counts as unset.
 * The providers check the name (with `configuredBy`, so a bad one is a `ConfigError` naming `ONCEKEY_ENV_VAR`).
 */
export function configuredVariable(config: OnceKeyConfig): { variable?: string } {
  const value = config.env.ONCEKEY_ENV_VAR?.trim();
  return value === undefined || value === "" ? {} : { variable: value };
}
