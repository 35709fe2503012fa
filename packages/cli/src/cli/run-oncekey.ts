import { ConfigError } from "@oncekey/core";
import { checkOptionNames } from "@oncekey/core/source";
import type { CommandInput, CommandIo, CommandOutput } from "./command-io.js";
import { dispatch } from "./dispatch.js";

/**
 * Options of {@link runOncekey}: where the command reads and writes, and what stops it. Every field defaults to
 * the process's own.
 *
 * @example
 * ```ts
 * const options: RunOncekeyOptions = { env: { ...process.env, ONCEKEY_SOURCE: "file" }, stdout: myStream };
 * ```
 */
export interface RunOncekeyOptions {
  /**
   * The configuration (`ONCEKEY_SOURCE`, `ONCEHUB_API_KEY` …) and `NO_COLOR`.
   * @defaultValue `process.env`
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Where `rotate` reads the new key; on a terminal (`isTTY` and `setRawMode`), typing is hidden.
   * @defaultValue `process.stdin`
   */
  readonly stdin?: CommandInput;
  /**
   * Reports, `--json` objects, the sandbox's banner. Colour only when `isTTY` is true.
   * @defaultValue `process.stdout`
   */
  readonly stdout?: CommandOutput;
  /**
   * Failures, progress notes (on a terminal) and the prompt.
   * @defaultValue `process.stderr`
   */
  readonly stderr?: CommandOutput;
  /**
   * Stops `oncekey sandbox`; the other commands end on their own.
   * @defaultValue none: the sandbox runs until the process ends
   */
  readonly signal?: AbortSignal;
}

const OPTION_NAMES = ["env", "stdin", "stdout", "stderr", "signal"];

/**
 * Runs the `oncekey` command in this process, as the installed `oncekey` binary does: `check`, `doctor`,
 * `rotate`, `sandbox`, `demo`, `--help` and `--version`, with the same output and exit codes.
 *
 * Exit codes: 0 ok; 2 configuration (no key, a malformed key, a bad setting, an invalid tenant, a usage error);
 * 3 OnceHub rejected the key; 4 OnceHub unreachable (network, TLS, timeout, 5xx or 429 after retries); 1
 * anything else. With `--json`, `check`, `doctor` and `rotate` print one object on stdout and nothing else there.
 *
 * @param argv - The arguments after the program name, e.g. `["check", "--json"]`.
 * @param options - {@link RunOncekeyOptions}.
 * @returns The exit code.
 * @throws `ConfigError` for an unknown option name or an option of the wrong type.
 * @example
 * ```ts
 * import { runOncekey } from "@oncekey/cli";
 *
 * const code = await runOncekey(["check", "--json"], { env: { ...process.env, ONCEKEY_SOURCE: "file" } });
 * ```
 */
export async function runOncekey(argv: readonly string[], options: RunOncekeyOptions = {}): Promise<number> {
  checkOptionNames(options, OPTION_NAMES, "runOncekey");
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === "string")) {
    throw new ConfigError('runOncekey: argv must be an array of strings, e.g. ["check", "--json"].', {
      variable: "argv",
    });
  }
  const io: CommandIo = {
    stdin: options.stdin ?? process.stdin,
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    env: options.env ?? process.env,
    signal: options.signal,
  };
  for (const name of ["stdout", "stderr"] as const) {
    if (typeof io[name]?.write !== "function") {
      throw new ConfigError(`runOncekey: ${name} must be a stream with a write method.`, { variable: name });
    }
  }
  if (typeof io.env !== "object" || io.env === null) {
    throw new ConfigError("runOncekey: env must be an object of variables, such as process.env.", {
      variable: "env",
    });
  }
  if (io.signal !== undefined && !(io.signal instanceof AbortSignal)) {
    throw new ConfigError("runOncekey: signal must be an AbortSignal.", { variable: "signal" });
  }
  return dispatch(argv, io);
}
