import { parseArgs } from "node:util";
import { CommandError } from "./command-error.js";
import { describeArgument, shownFlag } from "./describe-argument.js";

/** A flag of the command: whether it takes a value, and how the usage writes that value. */
interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** The value's placeholder in messages, e.g. `<n>`. */
  readonly placeholder?: string;
}

/** Every flag the command takes, by its long name. */
const FLAGS = new Map<string, FlagSpec>([
  ["port", { type: "string", short: "p", placeholder: "<n>" }],
  ["plain-port", { type: "string", placeholder: "<n>" }],
  ["bookings", { type: "string", placeholder: "<n>" }],
  ["rate-limit", { type: "string", placeholder: "<n|off>" }],
  ["ip-rate-limit", { type: "string", placeholder: "<requests>/<seconds>" }],
  ["retry-after", { type: "string", placeholder: "<seconds|auto>" }],
  ["email", { type: "string", placeholder: "<address>" }],
  ["key-file", { type: "string", placeholder: "<path>" }],
  ["ca-file", { type: "string", placeholder: "<path>" }],
  ["print-env", { type: "boolean" }],
  ["help", { type: "boolean", short: "h" }],
]);

const PARSE_OPTIONS = Object.fromEntries(
  [...FLAGS].map(([name, { type, short }]) => [name, short === undefined ? { type } : { type, short }]),
);

const usageError = (message: string): CommandError => new CommandError(message, 2);

/**
 * Reads the command's arguments into flag values, refusing what is not a flag of the command: an unknown flag,
 * a stray argument, a flag without its value or with a value it does not take. `node:util`'s `parseArgs` splits
 * the arguments, but its own messages quote them; these describe instead (see `describeArgument`), so a key
 * pasted as an argument never reaches the terminal. A flag given twice takes its last value.
 *
 * @param argv - the arguments after the command's name
 * @returns each flag given, by long name: its value, or `true` for a flag without one
 * @throws CommandError (exit 2) naming the flag and describing the value
 * @example
 * ```ts
 * readSandboxArguments(["-p", "8443", "--print-env"]); // Map { "port" => "8443", "print-env" => true }
 * ```
 */
export function readSandboxArguments(argv: readonly string[]): ReadonlyMap<string, string | true> {
  const { tokens } = parseArgs({
    args: [...argv],
    options: PARSE_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = new Map<string, string | true>();
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      throw usageError(
        `takes flags only, each value right after its flag (--port 8443); got ${describeArgument(token.value)} ` +
          "that belongs to no flag.",
      );
    }
    const spec = FLAGS.get(token.name);
    if (spec === undefined) {
      throw usageError(`unknown flag ${shownFlag(token.rawName, argv[token.index] ?? "")}.`);
    }
    const flag = `--${token.name}`;
    if (spec.type === "boolean") {
      if (token.value !== undefined)
        throw usageError(`${flag} takes no value, got ${describeArgument(token.value)} after "=".`);
      values.set(token.name, true);
      continue;
    }
    const usage = `${flag} ${spec.placeholder ?? "<value>"}`;
    if (token.value === undefined) throw usageError(`${flag} needs a value: ${usage}.`);
    if (!token.inlineValue && token.value.startsWith("-")) {
      throw usageError(
        `${flag} needs a value (${usage}), but the argument after it starts with "-" as a flag does; ` +
          `to give a value that starts with "-", write ${flag}=<value>.`,
      );
    }
    values.set(token.name, token.value);
  }
  return values;
}
