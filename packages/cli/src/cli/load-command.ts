import type { CommandIo } from "./command-io.js";
import type { CommandName } from "./usage.js";

/** A command: its arguments and streams in, its exit code out. */
export type Command = (args: readonly string[], io: CommandIo) => Promise<number>;

/**
 * Imports one command's module when it runs, so `oncekey --version` and `--help` load none of them, and `check`
 * never loads the sandbox or the demo.
 *
 * @param name - The command.
 * @example
 * ```ts
 * const run = await loadCommand("check");
 * process.exitCode = await run(["--json"], io);
 * ```
 */
export async function loadCommand(name: CommandName): Promise<Command> {
  switch (name) {
    case "check":
      return (await import("../commands/check.js")).runCheck;
    case "doctor":
      return (await import("../commands/doctor.js")).runDoctor;
    case "rotate":
      return (await import("../commands/rotate.js")).runRotate;
    case "sandbox":
      return (await import("../commands/sandbox.js")).runSandbox;
    case "demo":
      return (await import("../commands/demo.js")).runDemoCommand;
  }
}
