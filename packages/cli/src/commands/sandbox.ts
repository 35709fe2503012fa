import { runSandboxCommand } from "@oncekey/sandbox";
import type { CommandIo } from "../cli/command-io.js";

/**
 * `oncekey sandbox`: the sandbox package's own command (`runSandboxCommand`), with its options and output, run
 * until `io.signal` aborts (Ctrl+C or SIGTERM for the installed binary).
 *
 * @param args - The arguments after `sandbox`.
 * @param io - The command's streams and signal.
 * @returns The exit code: 0 after a clean stop or `--help`, 2 for a usage error.
 * @example
 * ```ts
 * process.exitCode = await runSandbox(["--port", "8443"], io);
 * ```
 */
export function runSandbox(args: readonly string[], io: CommandIo): Promise<number> {
  return runSandboxCommand(args, {
    stdout: io.stdout,
    stderr: io.stderr,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  });
}
