import { runSandboxCommand } from "@oncekey/sandbox";
import type { CommandIo } from "../cli/command-io.js";

/**
 * `oncekey sandbox [--port N] [--key-file F] [--ca-file F] [--print-env] …`: the sandbox package's own command
 * (`runSandboxCommand`) under this name, with its options and output: a key and a CA that can stay the same
 * across restarts, the variables an app needs (`--print-env` for `eval`), served until `io.signal` aborts (Ctrl+C
 * or SIGTERM for the installed binary). The sandbox's command never repeats an argument's value in a message (a key
 * pasted as one must not reach the terminal), so its output passes through as it is.
 *
 * @param args - The arguments after `sandbox`.
 * @param io - The command's streams and signal.
 * @returns The exit code: 0 after a clean stop, `--print-env` or `--help`, 2 for a usage error.
 * @example
 * ```ts
 * process.exitCode = await runSandbox(["--port", "8443"], io);
 * ```
 */
export function runSandbox(args: readonly string[], io: CommandIo): Promise<number> {
  return runSandboxCommand(args, {
    name: "oncekey sandbox",
    stdout: io.stdout,
    stderr: io.stderr,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  });
}
