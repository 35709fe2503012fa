import type { ReportedError } from "../errors/describe-error.js";
import { exitCodeFor } from "../errors/exit-codes.js";
import type { CommandReport, ReportWarning } from "./command-report.js";
import type { CommandOutput } from "../cli/command-io.js";
import { styleFor, type Style } from "./style.js";

/**
 * The readable output of a command: facts and warnings on stdout, the failure on stderr, colour only where the
 * stream is a terminal.
 *
 * @example
 * ```ts
 * const out = new HumanOutput(process.stdout, process.stderr, process.env);
 * out.success("The key works for admin@example.com.");
 * out.facts([["fingerprint", key.fingerprint]]);
 * ```
 */
export class HumanOutput {
  readonly #stdout: CommandOutput;
  readonly #stderr: CommandOutput;
  /** stdout's colours. */
  readonly out: Style;
  /** stderr's colours. */
  readonly err: Style;

  constructor(
    stdout: CommandOutput,
    stderr: CommandOutput,
    env: Readonly<Record<string, string | undefined>>,
  ) {
    this.#stdout = stdout;
    this.#stderr = stderr;
    this.out = styleFor(stdout, env);
    this.err = styleFor(stderr, env);
  }

  /** Writes lines to stdout. */
  line(...lines: string[]): void {
    this.#stdout.write(`${lines.join("\n")}\n`);
  }

  /** A heading on stdout. */
  heading(text: string): void {
    this.line(this.out.bold(text));
  }

  /** Aligned `label  value` rows on stdout, rows without a value left out. */
  facts(rows: readonly (readonly [string, string | number | null | undefined])[]): void {
    const shown = rows.filter((row): row is readonly [string, string | number] => row[1] != null);
    const width = Math.max(0, ...shown.map(([label]) => label.length));
    for (const [label, value] of shown) this.line(`  ${this.out.dim(label.padEnd(width))}  ${value}`);
  }

  /** The key's facts from a report: source, fingerprint, account, latency. */
  keyFacts(report: CommandReport): void {
    this.facts([
      ["source", report.source],
      ["fingerprint", report.fingerprint],
      ["account", report.account],
      ["latency", report.latencyMs === null ? null : `${report.latencyMs} ms`],
    ]);
  }

  /** Warnings on stdout, one paragraph each. */
  warnings(warnings: readonly ReportWarning[]): void {
    for (const warning of warnings) {
      this.line(`  ${this.out.yellow("!")} ${this.out.yellow(warning.code)}  ${warning.message}`);
    }
  }

  /** The success line, on stdout. */
  success(text: string): void {
    this.line(`${this.out.green("✓")} ${text}`);
  }

  /** The failure, on stderr: what happened, its code and exit code, and the message that says what to do. */
  failure(headline: string, error: ReportedError): void {
    const code = exitCodeFor(error.code);
    this.#stderr.write(
      `${this.err.red("✗")} ${this.err.bold(headline)} ${this.err.dim(`(${error.code}, exit ${code})`)}\n` +
        `  ${error.message}\n`,
    );
  }
}
