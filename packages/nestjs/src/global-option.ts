import { ConfigError } from "@oncekey/core";
import { describeOptionValue } from "@oncekey/core/source";

/** Returns the module's `global` option, `false` when absent; a `ConfigError` for anything but a boolean. */
export function globalOption(value: unknown, where: string): boolean {
  if (value === undefined) return false;
  if (typeof value === "boolean") return value;
  throw new ConfigError(`${where}: global must be true or false, got ${describeOptionValue(value)}.`, {
    variable: "global",
  });
}
