import type { CommandReport } from "./command-report.js";
import { headlineFor } from "./headline.js";
import type { HumanOutput } from "./human-output.js";

/**
 * The readable form of `oncekey check`'s report: the verdict, the key's facts (source, fingerprint, account,
 * latency) and the warnings; a failure on stderr.
 *
 * @param out - Where to print.
 * @param report - The report, values hidden already.
 * @example
 * ```ts
 * return finishReport(io, json, report, printCheck, hidden);
 * ```
 */
export function printCheck(out: HumanOutput, report: CommandReport): void {
  if (report.error === null) out.success(`The key works for ${report.account ?? "its account"}.`);
  out.keyFacts(report);
  out.warnings(report.warnings);
  if (report.error !== null) out.failure(headlineFor(report.error.code, "The check failed"), report.error);
}
