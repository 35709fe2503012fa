import { describeError } from "../errors/describe-error.js";
import { sourceOf } from "../errors/source-of.js";
import type { CommandReport, ReportWarning } from "./command-report.js";

/**
 * The report of a command that failed before any key was read: a bad configuration or tenant id.
 *
 * @param command - `check`, `doctor` or `rotate`.
 * @param error - What stopped it.
 * @param warnings - Warnings gathered so far.
 * @example
 * ```ts
 * const report = failedBeforeKey("check", configError, []);
 * ```
 */
export function failedBeforeKey(
  command: string,
  error: unknown,
  warnings: readonly ReportWarning[],
): CommandReport {
  return {
    ok: false,
    command,
    source: sourceOf(error),
    fingerprint: null,
    account: null,
    latencyMs: null,
    warnings,
    error: describeError(error),
  };
}
