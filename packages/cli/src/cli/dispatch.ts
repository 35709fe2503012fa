import { CommandError } from "../errors/command-error.js";
import { EXIT_CODES } from "../errors/exit-codes.js";
import type { CommandIo } from "./command-io.js";
import { loadCommand } from "./load-command.js";
import { COMMAND_NAMES, OVERVIEW, type CommandName } from "./usage.js";
import { VERSION } from "./version.js";

/** The commands whose `--json` output holds a report, a usage error included. */
const REPORTING: readonly CommandName[] = ["check", "doctor", "rotate"];

/** A command name that may be repeated in a message. */
const SHOWABLE_COMMAND = /^[a-z][a-z-]{0,19}$/;

function isCommand(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/**
 * Runs `oncekey` with `argv` (the arguments after the program name): `--version`, `--help`, or a command, whose
 * module is loaded only then. A usage error is exit 2 with a message on stderr (or, with `--json`, in the report
 * on stdout).
 *
 * @param argv - e.g. `["check", "--json"]`.
 * @param io - Streams, environment and signal.
 * @returns The exit code.
 * @example
 * ```ts
 * process.exitCode = await dispatch(process.argv.slice(2), io);
 * ```
 */
export async function dispatch(argv: readonly string[], io: CommandIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(OVERVIEW);
    return EXIT_CODES.configuration;
  }
  if (first === "--version" || first === "-v") {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_CODES.ok;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    const topic = rest[0];
    // `oncekey help check` is `oncekey check --help`: each command prints its own usage.
    if (topic !== undefined && isCommand(topic)) return (await loadCommand(topic))(["--help"], io);
    io.stdout.write(OVERVIEW);
    return EXIT_CODES.ok;
  }
  if (!isCommand(first)) {
    io.stderr.write(`oncekey: ${unknownCommand(first)}\n\n${OVERVIEW}`);
    return EXIT_CODES.configuration;
  }
  try {
    const run = await loadCommand(first);
    return await run(rest, io);
  } catch (error) {
    if (!(error instanceof CommandError && error.code === "USAGE")) throw error;
    if (REPORTING.includes(first) && rest.includes("--json")) {
      const report = {
        ok: false,
        command: first,
        source: null,
        fingerprint: null,
        account: null,
        latencyMs: null,
        warnings: [],
        error: { code: error.code, message: error.message },
      };
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stderr.write(`oncekey ${first}: ${error.message}\n`);
    }
    return EXIT_CODES.configuration;
  }
}

function unknownCommand(name: string): string {
  if (!SHOWABLE_COMMAND.test(name)) {
    return name.startsWith("-")
      ? "unknown option before the command. Run oncekey --help."
      : `unknown command (${name.length} characters, not repeated here). Run oncekey --help.`;
  }
  const close = COMMAND_NAMES.find((known) => known.startsWith(name.slice(0, 3)) || name.startsWith(known));
  return `there is no command "${name}".${close === undefined ? "" : ` Did you mean ${close}?`}`;
}
