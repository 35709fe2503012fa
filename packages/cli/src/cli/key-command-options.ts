import type { OptionSpec } from "./parse-command-line.js";

/**
 * The options `check` and `doctor` take: `--tenant <id>` and `--json`.
 *
 * @example
 * ```ts
 * const options = parseCommandLine("check", args, KEY_COMMAND_OPTIONS);
 * ```
 */
export const KEY_COMMAND_OPTIONS: Readonly<Record<"tenant" | "json", OptionSpec>> = {
  tenant: { type: "string" },
  json: { type: "boolean" },
};
