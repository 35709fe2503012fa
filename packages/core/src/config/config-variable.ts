import { ConfigError } from "../errors/config-error.js";
import { describeConfigValue } from "./quotable-config-value.js";

/**
 * Reads one variable of a configuration's environment: its value, or `undefined` when unset. A value that is not
 * a string (an `env` object built in code with a number in it) is a {@link ConfigError} naming the variable,
 * never a crash further on.
 *
 * @param env - The variables.
 * @param variable - The one to read.
 * @example
 * ```ts
 * const path = configVariable(config.env, "ONCEKEY_FILE_PATH");
 * ```
 */
export function configVariable(env: Readonly<Record<string, unknown>>, variable: string): string | undefined {
  const value = env[variable];
  if (value === undefined || typeof value === "string") return value;
  throw new ConfigError(
    `${variable} must be a string, as environment variables are; got ${describeConfigValue(value)}.`,
    { variable },
  );
}

/** `value` trimmed, or `undefined` when it is unset or blank. */
export function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}
