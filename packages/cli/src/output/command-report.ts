import type { ReportedError } from "../errors/describe-error.js";

/**
 * Something that weakens the key's safety, or that an operator should know; the command still succeeds.
 *
 * @example
 * ```json
 * {
  "code": "KEY_AGE",
  "message": "The key in file:/run/secrets/oncehub is at least 200 days old (the file was last written on 2025-06-01). OnceHub advises rotating keys at least every six months: create a new key in OnceHub and run oncekey rotate."
}
 * ```
 */
export interface ReportWarning {
  /** A stable code: `FILE_PERMISSIONS`, `TRACKED_BY_GIT`, `KEY_AGE`, `BASE_URL`, `CA_FILE`, or a source's own. */
  readonly code: string;
  /** What it means and what to do. */
  readonly message: string;
}

/**
 * What `check`, `doctor` and `rotate` print with `--json`: one object on stdout, the same fields in every outcome
 * (`null` where a value is unknown), and nothing else on stdout.
 *
 * @example
 * ```json
 * {
 *   "ok": true,
 *   "command": "check",
 *   "source": "file:/run/secrets/oncehub",
 *   "fingerprint": "sha256:3f0c9a1b2c4d",
 *   "account": "admin@example.com",
 *   "latencyMs": 41,
 *   "warnings": [],
 *   "error": null
 * }
 * ```
 */
export interface CommandReport {
  /** Whether the command did what it was asked; `false` exactly when `error` is set. */
  readonly ok: boolean;
  /** `check`, `doctor` or `rotate`. */
  readonly command: string;
  /** Where the key came from, e.g. `file:/run/secrets/oncehub` (for `rotate`, where the new key went). */
  readonly source: string | null;
  /** The key's fingerprint, `sha256:` and 12 hex digits (for `rotate`, the new key's). */
  readonly fingerprint: string | null;
  /** The OnceHub account the key belongs to, from `GET /test`. */
  readonly account: string | null;
  /** How long OnceHub took to answer `GET /test`, in milliseconds (the last attempt, retries not counted). */
  readonly latencyMs: number | null;
  /** What weakens the key's safety or deserves a look (a key file others may read …); empty when nothing does. */
  readonly warnings: readonly ReportWarning[];
  /** What went wrong: a stable code (which decides the exit code) and a message that says what to do. */
  readonly error: ReportedError | null;
}

/**
 * One source of `ONCEKEY_SOURCE` as `doctor` tried it on its own.
 *
 * @example
 * ```json
 * {
 *   "name": "file",
 *   "tried": "file:/run/secrets/oncehub",
 *   "outcome": "found",
 *   "fingerprint": "sha256:3f0c9a1b2c4d",
 *   "used": true,
 *   "error": null
 * }
 * ```
 */
export interface SourceStep {
  /** The source's name, e.g. `file`. */
  readonly name: string;
  /** What was read, e.g. `file:/run/secrets/oncehub`; `null` when the source could not even be set up. */
  readonly tried: string | null;
  /**
   * `found` (it holds a key), `not-found` (a chain moves on), `failed` (it holds something unusable, or could not
   * be read: a chain stops there), `misconfigured` (its settings are wrong).
   */
  readonly outcome: "found" | "not-found" | "failed" | "misconfigured";
  /** The key's fingerprint when found. */
  readonly fingerprint: string | null;
  /** Whether the app would use this source's key (the first source found, with no failure before it). */
  readonly used: boolean;
  /** Why it holds no usable key. */
  readonly error: ReportedError | null;
}

/**
 * `doctor --json`: the fields of `check`, and each source's step.
 *
 * @example
 * ```ts
 * const report = JSON.parse(stdout) as DoctorReport;
 * const used = report.steps.find((step) => step.used);
 * console.log(used === undefined ? "no source serves a key" : `${used.name} serves ${used.fingerprint}`);
 * ```
 */
export interface DoctorReport extends CommandReport {
  readonly command: "doctor";
  /** `ONCEKEY_SOURCE`'s sources in order, each tried on its own. */
  readonly steps: readonly SourceStep[];
}

/**
 * Where `rotate` wrote the new key.
 *
 * @example
 * ```json
 * { "kind": "file", "location": "file:/run/secrets/oncehub" }
 * ```
 */
export interface RotationTarget {
  /** `file`, `dotenv` or `azure-keyvault`. */
  readonly kind: string;
  /**
   * Where, as sources show it: `file:/run/secrets/oncehub`, `dotenv:.env#ONCEHUB_API_KEY`,
   * `azure-keyvault:<host>/<secret>`.
   */
  readonly location: string;
  /** The new Key Vault secret version. */
  readonly version?: string;
}

/**
 * `rotate --json`: the fields of `check` for the new key, and what changed.
 *
 * @example
 * ```ts
 * const report = JSON.parse(stdout) as RotateReport;
 * if (report.ok) console.log(`${report.previousFingerprint} -> ${report.fingerprint} in ${report.written?.location}`);
 * ```
 */
export interface RotateReport extends CommandReport {
  readonly command: "rotate";
  /** The key that was in place before. */
  readonly previousFingerprint: string | null;
  /** Where the new key was written; `null` when nothing was written. */
  readonly written: RotationTarget | null;
  /** What the operator does next. */
  readonly nextStep: string | null;
}

/**
 * Prints a report as one JSON object and a newline: `--json`'s only output on stdout.
 *
 * @param stdout - Where it goes.
 * @param report - The report.
 * @example
 * ```ts
 * writeJsonReport(process.stdout, report);
 * ```
 */
export function writeJsonReport(stdout: { write(text: string): unknown }, report: CommandReport): void {
  stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
