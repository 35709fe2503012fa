import { quotableConfigValue } from "@oncekey/core/source";
import { runSandboxCommand } from "@oncekey/sandbox";
import type { CommandIo, CommandOutput } from "../cli/command-io.js";

const STAND_IN = "<argument>";

/**
 * The parts of the arguments that output must not repeat: any option name or value that the library's rule
 * would not repeat as a path or a name (see `quotableConfigValue`), since it could be a key typed in the wrong
 * place. Ports, short names and paths starting with `/` or `./` stay visible.
 */
function unshowable(args: readonly string[]): string[] {
  const parts = args.flatMap((arg) => {
    const [name = "", ...value] = arg.replace(/^-+/, "").split("=");
    return [arg, name, value.join("=")];
  });
  return [
    ...new Set(
      parts.filter(
        (part) =>
          part !== "" &&
          quotableConfigValue(part, "path") === undefined &&
          quotableConfigValue(part, "name") === undefined,
      ),
    ),
  ].sort((a, b) => b.length - a.length);
}

function hiding(stream: CommandOutput, hidden: readonly string[]): CommandOutput {
  if (hidden.length === 0) return stream;
  return {
    ...(stream.isTTY === undefined ? {} : { isTTY: stream.isTTY }),
    write: (text: string) =>
      stream.write(hidden.reduce((out, secret) => out.split(secret).join(STAND_IN), String(text))),
  };
}

/**
 * `oncekey sandbox [--port N] [--key-file F] [--ca-file F] [--print-env] …`: the sandbox package's own command
 * (`runSandboxCommand`) under this name, with its options and output: a key and a CA that can stay the same
 * across restarts, the variables an app needs (`--print-env` for `eval`), served until `io.signal` aborts (Ctrl+C
 * or SIGTERM for the installed binary). An argument that could be a key is never printed back: its messages show
 * `<argument>` in its place.
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
  const hidden = unshowable(args);
  return runSandboxCommand(args, {
    name: "oncekey sandbox",
    stdout: hiding(io.stdout, hidden),
    stderr: hiding(io.stderr, hidden),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  });
}
