import type { OnceKeyConfig } from "@oncekey/core";
import { shownPath, shownUrl } from "../config/shown-value.js";
import type { DoctorReport, SourceStep } from "./command-report.js";
import { headlineFor } from "./headline.js";
import type { HumanOutput } from "./human-output.js";

/**
 * The readable form of `oncekey doctor`'s report: the configuration, each key source in the order the app tries
 * them, the warnings, the check, and the verdict.
 *
 * @param out - Where to print.
 * @param report - The report, values hidden already.
 * @param config - The configuration, when it could be read.
 * @param tenant - The tenant as output may show it.
 * @example
 * ```ts
 * return finishReport(io, json, report, (out, r) => printDoctor(out, r, config, shownTenant), hidden);
 * ```
 */
export function printDoctor(
  out: HumanOutput,
  report: DoctorReport,
  config: OnceKeyConfig | undefined,
  tenant: string | undefined,
): void {
  if (config !== undefined) {
    out.heading("Configuration");
    out.facts([
      ["ONCEKEY_SOURCE", config.sources.join(",")],
      ["base URL", shownUrl(config.baseUrl)],
      ["CA file", config.caFile === undefined ? null : shownPath(config.caFile, "ONCEKEY_CA_FILE")],
      ["tenant", tenant],
    ]);
    out.line("");
  }
  if (report.steps.length > 0) {
    out.heading("Key sources, in the order the app tries them");
    report.steps.forEach((step, index) => printStep(out, step, index));
    out.line("");
  }
  if (report.warnings.length > 0) {
    out.heading("Warnings");
    out.warnings(report.warnings);
    out.line("");
  }
  if (config !== undefined) {
    out.heading("Check (GET /test with the key the app uses)");
    out.keyFacts(report);
    out.line("");
  }
  if (report.error !== null) {
    out.failure(headlineFor(report.error.code, "The check failed"), report.error);
  } else {
    const count = report.warnings.length;
    out.success(
      `The key works for ${report.account ?? "its account"}${count === 0 ? "." : `, with ${count} warning${count === 1 ? "" : "s"}.`}`,
    );
  }
}

const OUTCOMES: Readonly<Record<SourceStep["outcome"], string>> = {
  found: "found",
  "not-found": "not found",
  failed: "failed",
  misconfigured: "misconfigured",
};

/** One source's line: what it tried, the outcome, the fingerprint found and whether the app uses it. */
function printStep(out: HumanOutput, step: SourceStep, index: number): void {
  const outcome = OUTCOMES[step.outcome];
  const colour =
    step.outcome === "found" ? out.out.green : step.outcome === "not-found" ? out.out.dim : out.out.red;
  const what = step.tried ?? "(not set up)";
  const detail =
    step.outcome === "found" ? ` ${step.fingerprint ?? ""}${step.used ? out.out.bold("  <- used") : ""}` : "";
  out.line(`  ${index + 1}. ${step.name.padEnd(14)} ${what}  ${colour(outcome)}${detail}`);
  if (step.error !== null) out.line(`       ${out.out.dim(step.error.message)}`);
}
