import type { RotateReport } from "./command-report.js";
import { headlineFor } from "./headline.js";
import type { HumanOutput } from "./human-output.js";

/**
 * The readable form of `oncekey rotate`'s report: the fingerprints, where the new key was written, the warnings,
 * how running apps follow and the next step; or the failure, saying whether anything was written.
 *
 * @param out - Where to print.
 * @param report - The report, values hidden already.
 * @example
 * ```ts
 * return finishReport(io, json, report, printRotate, hidden);
 * ```
 */
export function printRotate(out: HumanOutput, report: RotateReport): void {
  if (report.error === null) out.success(`The new key is in place: ${report.source ?? ""}`);
  out.facts([
    ["previous", report.previousFingerprint],
    ["new", report.fingerprint],
    ["account", report.account],
    ["latency", report.latencyMs === null ? null : `${report.latencyMs} ms`],
    [
      "written",
      report.written === null
        ? null
        : `${report.written.location}${report.written.version === undefined ? "" : ` (version ${report.written.version})`}`,
    ],
  ]);
  out.warnings(report.warnings);
  if (report.nextStep !== null) {
    out.line("", follows(report.written?.kind), "", `${out.out.bold("Next:")} ${report.nextStep}`);
  }
  if (report.error !== null) {
    const nothing = report.written === null ? " Nothing was written." : "";
    out.failure(headlineFor(report.error.code, "The rotation failed"), {
      code: report.error.code,
      message: `${report.error.message}${nothing}`,
    });
  }
}

/** How running apps pick up a key written to a source of `kind`. */
function follows(kind: string | undefined): string {
  return kind === "azure-keyvault"
    ? "Running apps read the new version when they next read the secret (refreshAheadMs), and at the latest when " +
        "OnceHub rejects the old key: they read the secret again and replay the call."
    : "Running apps read the new key as soon as their watch sees the file change.";
}
