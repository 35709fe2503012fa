import { loadConfig, type OnceKeyConfig } from "@oncekey/core";
import { validateTenant } from "@oncekey/core/source";
import { checkKey, type KeyCheck } from "../check/check-key.js";
import { LatencyProbe } from "../check/latency-probe.js";
import { collectSourceWarnings, type SourceWarnings } from "../check/source-warnings.js";
import type { CommandIo } from "../cli/command-io.js";
import { KEY_COMMAND_OPTIONS } from "../cli/key-command-options.js";
import { parseCommandLine } from "../cli/parse-command-line.js";
import { tenantOption } from "../cli/tenant-option.js";
import { COMMAND_USAGE } from "../cli/usage.js";
import { KEY_SOURCES, setUpKeys, type KeySetup } from "../config/key-setup.js";
import { endpointWarnings } from "../doctor/endpoint-warnings.js";
import { sourceWarningsOf } from "../doctor/source-warnings-of.js";
import { trySources, type TriedSource } from "../doctor/try-sources.js";
import { describeError } from "../errors/describe-error.js";
import { sourceOf } from "../errors/source-of.js";
import type { DoctorReport, ReportWarning } from "../output/command-report.js";
import { failedBeforeKey } from "../output/failed-before-key.js";
import { finishReport } from "../output/finish-report.js";
import { printDoctor } from "../output/print-doctor.js";
import { progressOn } from "../output/progress.js";
import { styleFor } from "../output/style.js";

/** Codes doctor finds itself for every source; the same warning raised by a source while loading is dropped. */
const OWN_CODES = new Set(["FILE_PERMISSIONS", "TRACKED_BY_GIT"]);

/**
 * `oncekey doctor`: each configured source on its own (what was tried, what was found), warnings, then the same
 * call as `check`.
 *
 * @param args - The arguments after `doctor`.
 * @param io - The command's streams and environment.
 * @returns The exit code: `check`'s, or 2 for a configuration that cannot be read.
 * @example
 * ```ts
 * process.exitCode = await runDoctor(["--json"], io);
 * ```
 */
export async function runDoctor(args: readonly string[], io: CommandIo): Promise<number> {
  const options = parseCommandLine("doctor", args, KEY_COMMAND_OPTIONS);
  if (options.help === true) {
    io.stdout.write(COMMAND_USAGE.doctor);
    return 0;
  }
  const { tenant, shown: shownTenant, hidden } = tenantOption(options);
  const progress = progressOn(io.stderr, styleFor(io.stderr, io.env));
  const raised = collectSourceWarnings();
  let config: OnceKeyConfig | undefined;
  let report: DoctorReport;
  try {
    if (tenant !== undefined) validateTenant(tenant);
    config = loadConfig(io.env, { sources: KEY_SOURCES });
    progress.step("Trying each key source");
    const tried = await trySources(io.env, config.sources, tenant, raised);
    progress.step("Looking for weaknesses");
    const own = await warningsFor(tried, config, io.env, tenant);
    const checked = await runCheckPart(io, tenant, progress, raised);
    const warnings = [...own, ...raised.warnings.filter((w) => !OWN_CODES.has(w.code))];
    report = {
      ok: checked.error === undefined,
      command: "doctor",
      source: checked.key?.source ?? sourceOf(checked.error),
      fingerprint: checked.key?.fingerprint ?? null,
      account: checked.account ?? null,
      latencyMs: checked.latencyMs,
      warnings,
      error: checked.error === undefined ? null : describeError(checked.error),
      steps: tried.map((t) => t.step),
    };
  } catch (error) {
    report = { ...failedBeforeKey("doctor", error, raised.warnings), command: "doctor", steps: [] };
  } finally {
    progress.clear();
    raised.stop();
  }
  return finishReport(
    io,
    options.json === true,
    report,
    (out, r) => printDoctor(out, r, config, shownTenant),
    hidden,
  );
}

async function runCheckPart(
  io: CommandIo,
  tenant: string | undefined,
  progress: ReturnType<typeof progressOn>,
  raised: SourceWarnings,
): Promise<KeyCheck> {
  const probe = new LatencyProbe();
  let setup: KeySetup | undefined;
  try {
    setup = setUpKeys(io.env, tenant, probe.onEvent);
    raised.follow(setup.keys);
    return await checkKey(setup, probe, progress);
  } catch (error) {
    return { key: undefined, account: undefined, latencyMs: null, error };
  } finally {
    await setup?.close();
  }
}

async function warningsFor(
  tried: readonly TriedSource[],
  config: OnceKeyConfig,
  env: Readonly<Record<string, string | undefined>>,
  tenant: string | undefined,
): Promise<ReportWarning[]> {
  const now = new Date();
  const warnings: ReportWarning[] = [];
  for (const { step, key } of tried) {
    if (key !== undefined) warnings.push(...(await sourceWarningsOf(step.name, key, env, tenant, now)));
  }
  warnings.push(...endpointWarnings(config));
  return warnings;
}
