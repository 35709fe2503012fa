import { ConfigError, type OnceKeyConfig } from "@oncekey/core";
import { DEFAULT_VARIABLE, describeVariableProblem } from "../names/variable-names.js";

/**
 * Reads `ONCEKEY_ENV_VAR` (the name of the variable that holds the key) from the configuration, checked.
 *
 * A bad value is never shown, as it may be a key. A valid one can be a key too (a base64url key without `-` is a
 * valid variable name), so the providers repeat it only when `quotableConfigValue` allows, and otherwise name
 * `ONCEKEY_ENV_VAR` instead.
 *
 * @throws {@link ConfigError} naming `ONCEKEY_ENV_VAR`.
 */
export function configuredVariable(config: OnceKeyConfig, source: string): string {
  const value = config.env.ONCEKEY_ENV_VAR?.trim();
  if (value === undefined || value === "") return DEFAULT_VARIABLE;
  const problem = describeVariableProblem(value);
  if (problem !== undefined) {
    throw new ConfigError(
      `ONCEKEY_ENV_VAR, the name of the variable that holds the key for the "${source}" source, ${problem}. ` +
        `Set it to a name such as ${DEFAULT_VARIABLE} or ${DEFAULT_VARIABLE}_{tenant}, or unset it.`,
      { variable: "ONCEKEY_ENV_VAR" },
    );
  }
  return value;
}
