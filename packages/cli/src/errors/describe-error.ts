import { OnceKeyError } from "@oncekey/core";
import { CommandError } from "./command-error.js";

/**
 * An error as the command reports it: `error` in `--json`.
 *
 * @example
 * ```json
 * { "code": "KEY_NOT_FOUND", "message": "No OnceHub API key found. Set ONCEHUB_API_KEY …" }
 * ```
 */
export interface ReportedError {
  /** The library's code (`KEY_NOT_FOUND`, `AUTHENTICATION` …) or the command's (`USAGE`, `ACCOUNT_MISMATCH` …). */
  readonly code: string;
  /** What went wrong and what to do. */
  readonly message: string;
}

/**
 * What the command may say about an error: the code and message of an oncekey error or a {@link CommandError}
 * (written never to hold a key), and for anything else only its class and system code, since a foreign message
 * (a file system error naming a path, a library quoting its input) could repeat a key that was configured in the
 * wrong place.
 *
 * @param error - What a command caught.
 * @example
 * ```ts
 * const { code, message } = describeError(error);
 * ```
 */
export function describeError(error: unknown): ReportedError {
  if (error instanceof CommandError || OnceKeyError.is(error)) {
    return { code: error.code, message: error.message };
  }
  const name = error instanceof Error ? error.name : typeof error;
  const systemCode = (error as { code?: unknown } | null)?.code;
  const shown =
    typeof systemCode === "string" && /^[A-Z0-9_]{1,32}$/.test(systemCode) ? ` (${systemCode})` : "";
  return {
    code: "INTERNAL",
    message:
      `The command stopped on an unexpected ${name}${shown}. Its message is not shown, as it could repeat a ` +
      "setting that holds a key; run oncekey doctor to check the configuration.",
  };
}
