import {
  ApiKey,
  AuthenticationError,
  OnceHubClient,
  resolveKeyProvider,
  staticKey,
  type OnceKeyConfig,
} from "@oncekey/core";
import { LatencyProbe } from "../check/latency-probe.js";
import { collectSourceWarnings, type SourceWarnings } from "../check/source-warnings.js";
import type { CommandIo } from "../cli/command-io.js";
import { parseCommandLine, type OptionSpec } from "../cli/parse-command-line.js";
import { tenantOption } from "../cli/tenant-option.js";
import { COMMAND_USAGE } from "../cli/usage.js";
import { KEY_SOURCES, setUpKeys, type KeySetup } from "../config/key-setup.js";
import { CommandError } from "../errors/command-error.js";
import { describeError } from "../errors/describe-error.js";
import { sourceOf } from "../errors/source-of.js";
import type { RotateReport, RotationTarget } from "../output/command-report.js";
import { finishReport } from "../output/finish-report.js";
import { printRotate } from "../output/print-rotate.js";
import { progressOn, type Progress } from "../output/progress.js";
import { styleFor } from "../output/style.js";
import { planRotation, type RotationPlan } from "../rotate/plan-rotation.js";
import { readNewKey } from "../rotate/read-new-key.js";

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  tenant: { type: "string" },
  account: { type: "string" },
  json: { type: "boolean" },
};

const POSITIONAL =
  "oncekey rotate takes no arguments: it reads the new key from standard input, because an argument shows up " +
  "in ps and in the shell history.";

/** An account email as OnceHub's `/test` names it; anything else given to `--account` is not repeated. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

/** What the rotation learnt, filled in step by step so a failure reports how far it got. */
interface Progressed {
  previous?: ApiKey;
  next?: ApiKey;
  account?: string;
  latencyMs: number | null;
  written?: RotationTarget;
  source?: string;
}

/**
 * `oncekey rotate`: reads the new key on standard input, proves it works and belongs to the same account as the
 * current key, writes it where the current key came from, checks the configuration now resolves to it, and says
 * what to do next.
 *
 * @param args - The arguments after `rotate`.
 * @param io - The command's streams and environment.
 * @returns The exit code.
 * @example
 * ```ts
 * process.exitCode = await runRotate(["--json"], io); // the new key on io.stdin
 * ```
 */
export async function runRotate(args: readonly string[], io: CommandIo): Promise<number> {
  const options = parseCommandLine("rotate", args, OPTIONS, POSITIONAL);
  if (options.help === true) {
    io.stdout.write(COMMAND_USAGE.rotate);
    return 0;
  }
  const { tenant, hidden } = tenantOption(options);
  const account = typeof options.account === "string" ? options.account.trim() : undefined;
  if (account !== undefined && !EMAIL.test(account)) {
    throw new CommandError(
      "USAGE",
      "--account takes the account's email address, as oncekey check prints it. Run oncekey rotate --help.",
    );
  }
  const raised = collectSourceWarnings();
  const progress = progressOn(io.stderr, styleFor(io.stderr, io.env));
  const state: Progressed = { latencyMs: null };
  let error: unknown;
  try {
    await rotate(io, tenant, account, progress, state, raised);
  } catch (caught) {
    error = caught;
  } finally {
    progress.clear();
    raised.stop();
  }
  const report: RotateReport = {
    ok: error === undefined,
    command: "rotate",
    source: state.source ?? state.written?.location ?? state.previous?.source ?? sourceOf(error),
    fingerprint: state.next?.fingerprint ?? null,
    account: state.account ?? null,
    latencyMs: state.latencyMs,
    warnings: raised.warnings,
    error: error === undefined ? null : describeError(error),
    previousFingerprint: state.previous?.fingerprint ?? null,
    written: state.written ?? null,
    nextStep:
      error === undefined && state.previous !== undefined && state.next !== undefined
        ? `Once every instance of the app uses ${state.next.fingerprint} (run oncekey check where it runs, or ` +
          `watch for the key:rotated event), delete the old key ${state.previous.fingerprint} in OnceHub ` +
          "(Account Integrations > APIs & Webhooks)."
        : null,
  };
  return finishReport(io, options.json === true, report, printRotate, hidden);
}

async function rotate(
  io: CommandIo,
  tenant: string | undefined,
  account: string | undefined,
  progress: Progress,
  state: Progressed,
  raised: SourceWarnings,
): Promise<void> {
  const probe = new LatencyProbe();
  let setup: KeySetup | undefined;
  let expected: string;
  let plan: RotationPlan;
  try {
    setup = setUpKeys(io.env, tenant, probe.onEvent);
    raised.follow(setup.keys);
    progress.step("Reading the current key");
    state.previous = await setup.keys.getKey(setup.request);
    plan = await planRotation(state.previous, io.env, tenant, setup.config);
    progress.step("Checking the current key with OnceHub");
    expected = await currentAccount(setup, account);
  } finally {
    progress.clear();
    await setup?.close();
  }
  const config = setup.config;

  const next = ApiKey.from(await readNewKey(io.stdin, io.stderr), { source: "stdin" });
  if (next.equals(state.previous)) {
    throw new CommandError("SAME_KEY", "The new key is the key already in place: nothing to rotate.");
  }
  state.next = next;
  progress.step("Checking the new key with OnceHub");
  state.account = await accountOf(next, config, (latency) => (state.latencyMs = latency));
  if (!sameAccount(state.account, expected)) {
    const whose =
      account === undefined ? `${expected}, the current key's account` : "the account given with --account";
    throw new CommandError(
      "ACCOUNT_MISMATCH",
      `The new key belongs to ${state.account}, not to ${whose}. Create the new key in the same OnceHub account.`,
    );
  }
  progress.step(`Writing the new key to ${plan.location}`);
  state.written = await plan.write(next);
  progress.step("Checking that the configuration now gives the new key");
  state.source = await resolvedSource(io.env, tenant, next, plan.location, raised);
}

/** The current key's account; when OnceHub already rejects it, the one given with `--account`. */
async function currentAccount(setup: KeySetup, given: string | undefined): Promise<string> {
  let found: string;
  try {
    found = (await setup.client.test()).account;
  } catch (error) {
    if (!AuthenticationError.is(error)) throw error;
    if (given !== undefined) return given;
    throw new CommandError(
      "CURRENT_KEY_REJECTED",
      "OnceHub rejects the current key, so the command cannot tell which account the new key must belong to: run " +
        `again with --account <the account's email> to name it. OnceHub's answer: ${error.message}`,
    );
  }
  if (given !== undefined && !sameAccount(found, given)) {
    throw new CommandError(
      "ACCOUNT_MISMATCH",
      `The current key belongs to ${found}, not to the account given with --account.`,
    );
  }
  return found;
}

async function accountOf(
  key: ApiKey,
  config: OnceKeyConfig,
  onLatency: (latencyMs: number | null) => void,
): Promise<string> {
  const probe = new LatencyProbe();
  const client = new OnceHubClient({
    keys: staticKey(key.reveal(), { source: key.source }),
    baseUrl: config.baseUrl,
    ...(config.ca === undefined ? {} : { ca: config.ca }),
    onEvent: probe.onEvent,
  });
  try {
    return (await client.test()).account;
  } finally {
    onLatency(probe.latencyMs);
    await client.close();
  }
}

/** Resolves the configuration afresh and checks that it now gives the new key; returns the key's source. */
async function resolvedSource(
  env: Readonly<Record<string, string | undefined>>,
  tenant: string | undefined,
  next: ApiKey,
  location: string,
  raised: SourceWarnings,
): Promise<string> {
  const keys = resolveKeyProvider(env, KEY_SOURCES);
  raised.follow(keys);
  try {
    const key = await keys.getKey(tenant === undefined ? undefined : { tenant });
    if (!key.equals(next)) {
      throw new CommandError(
        "WRITE_FAILED",
        `The new key was written to ${location}, but the configuration still resolves to ${key.fingerprint} ` +
          `from ${key.source}. Check the order of ONCEKEY_SOURCE.`,
      );
    }
    return key.source;
  } finally {
    await keys.close?.();
  }
}

function sameAccount(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
