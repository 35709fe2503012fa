import { EXIT_CODES, exitCodeFor } from "../errors/exit-codes.js";
import type { CommandIo } from "../cli/command-io.js";
import { writeJsonReport, type CommandReport } from "./command-report.js";
import { hideValues } from "./hide-values.js";
import { HumanOutput } from "./human-output.js";

/**
 * Prints a command's report, as JSON or readable text, and returns its exit code.
 *
 * @param io - The command's streams.
 * @param json - Whether `--json` was given.
 * @param report - The outcome.
 * @param printHuman - The readable form.
 * @param hidden - Texts the output must not repeat (see `hideValues`), each with its stand-in.
 * @example
 * ```ts
 * return finishReport(io, options.json === true, report, (out) => out.keyFacts(report));
 * ```
 */
export function finishReport<R extends CommandReport>(
  io: CommandIo,
  json: boolean,
  report: R,
  printHuman: (out: HumanOutput, report: R) => void,
  hidden: readonly (readonly [string, string])[] = [],
): number {
  const shown = hideValues(report, hidden);
  if (json) writeJsonReport(io.stdout, shown);
  else printHuman(new HumanOutput(io.stdout, io.stderr, io.env), shown);
  return report.error === null ? EXIT_CODES.ok : exitCodeFor(report.error.code);
}
