import { checkKey } from "../check/check-key.js";
import { LatencyProbe } from "../check/latency-probe.js";
import { collectSourceWarnings } from "../check/source-warnings.js";
import type { CommandIo } from "../cli/command-io.js";
import { KEY_COMMAND_OPTIONS } from "../cli/key-command-options.js";
import { parseCommandLine } from "../cli/parse-command-line.js";
import { tenantOption } from "../cli/tenant-option.js";
import { COMMAND_USAGE } from "../cli/usage.js";
import { setUpKeys, type KeySetup } from "../config/key-setup.js";
import { describeError } from "../errors/describe-error.js";
import { sourceOf } from "../errors/source-of.js";
import type { CommandReport } from "../output/command-report.js";
import { failedBeforeKey } from "../output/failed-before-key.js";
import { finishReport } from "../output/finish-report.js";
import { printCheck } from "../output/print-check.js";
import { progressOn } from "../output/progress.js";
import { styleFor } from "../output/style.js";

/**
 * `oncekey check`: resolves the key as the app would, calls `GET /test`, prints source, fingerprint, account and
 * latency.
 *
 * @param args - The arguments after `check`.
 * @param io - The command's streams and environment.
 * @returns The exit code.
 * @example
 * ```ts
 * process.exitCode = await runCheck(["--json"], io);
 * ```
 */
export async function runCheck(args: readonly string[], io: CommandIo): Promise<number> {
  const options = parseCommandLine("check", args, KEY_COMMAND_OPTIONS);
  if (options.help === true) {
    io.stdout.write(COMMAND_USAGE.check);
    return 0;
  }
  const { tenant, hidden } = tenantOption(options);
  const raised = collectSourceWarnings();
  const probe = new LatencyProbe();
  let setup: KeySetup | undefined;
  let report: CommandReport;
  try {
    setup = setUpKeys(io.env, tenant, probe.onEvent);
    raised.follow(setup.keys);
    const checked = await checkKey(setup, probe, progressOn(io.stderr, styleFor(io.stderr, io.env)));
    report = {
      ok: checked.error === undefined,
      command: "check",
      source: checked.key?.source ?? sourceOf(checked.error),
      fingerprint: checked.key?.fingerprint ?? null,
      account: checked.account ?? null,
      latencyMs: checked.latencyMs,
      warnings: raised.warnings,
      error: checked.error === undefined ? null : describeError(checked.error),
    };
  } catch (error) {
    report = failedBeforeKey("check", error, raised.warnings);
  } finally {
    await setup?.close();
    raised.stop();
  }
  return finishReport(io, options.json === true, report, printCheck, hidden);
}
