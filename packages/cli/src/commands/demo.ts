import type { CommandIo } from "../cli/command-io.js";
import { parseCommandLine } from "../cli/parse-command-line.js";
import { COMMAND_USAGE } from "../cli/usage.js";
import { runDemo } from "../demo/run-demo.js";

/**
 * `oncekey demo`: the tour of the root `pnpm demo`, from the installed command.
 *
 * @param args - The arguments after `demo` (only `--help`).
 * @param io - The command's streams.
 * @returns 0 once the tour ran to its end.
 * @example
 * ```ts
 * process.exitCode = await runDemoCommand([], io);
 * ```
 */
export async function runDemoCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const options = parseCommandLine("demo", args, {});
  if (options.help === true) {
    io.stdout.write(COMMAND_USAGE.demo);
    return 0;
  }
  await runDemo({ stdout: io.stdout });
  return 0;
}
