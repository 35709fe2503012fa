import { parseArgs } from "node:util";
import { CommandError } from "../errors/command-error.js";

/** One option a command takes. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
}

/** The options as parsed: strings for `string` options, `true` for flags that were given. */
export type ParsedOptions = Readonly<Record<string, string | boolean | undefined>>;

/** An option name that may be repeated in a message: a short, plain name, never something that could be a key. */
const SHOWABLE_OPTION = /^--?[A-Za-z][A-Za-z0-9-]{0,19}$/;

/**
 * Parses a command's arguments with `node:util`'s `parseArgs`, and turns every mistake into a `USAGE`
 * {@link CommandError} (exit 2) with a message of its own: an unknown option is named only when it is short and
 * plain (with a suggestion when it is close to a real one), a string option followed by another option
 * (`--tenant --json`) needs a value, and no argument's value is ever repeated, since a key pasted onto the command
 * line must not be printed back.
 *
 * @param command - The command, for messages (`check`).
 * @param args - The arguments after the command.
 * @param options - The options it takes; `--help`/`-h` is added.
 * @param positional - What to say when an argument that is not an option is given.
 * @returns The options given, `help` included.
 * @throws {@link CommandError} `USAGE`.
 * @example
 * ```ts
 * const options = parseCommandLine("check", ["--tenant", "acme"], { tenant: { type: "string" } });
 * options.tenant; // "acme"
 * ```
 */
export function parseCommandLine(
  command: string,
  args: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
  positional = `oncekey ${command} takes no arguments besides its options.`,
): ParsedOptions {
  const spec: Record<string, OptionSpec> = { ...options, help: { type: "boolean", short: "h" } };
  // Not strict: the mistakes are found from the tokens below, so no message of parseArgs (which quotes what it
  // refuses) reaches the user.
  const { tokens } = parseArgs({
    args: [...args],
    options: spec,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string | boolean | undefined> = {};
  const help = `Run oncekey ${command} --help.`;
  for (const token of tokens) {
    if (token.kind === "positional") throw new CommandError("USAGE", `${positional} ${help}`);
    if (token.kind !== "option") continue;
    // parseArgs reads `-abc` as the short options -a, -b and -c. The only short option is -h, so such an argument
    // is a value given where none belongs, most likely a key that starts with "-" (one in 64 does): it is refused
    // as an argument, and none of its characters is repeated.
    const raw = args[token.index] ?? "";
    if (!raw.startsWith("--") && raw.length > 2) throw new CommandError("USAGE", `${positional} ${help}`);
    const known = Object.hasOwn(spec, token.name) ? spec[token.name] : undefined;
    if (known === undefined) {
      // A name no option could have (long, or of key characters): most likely a key that starts with "--" (one in
      // 4,096 does), refused as an argument like the one above, and none of it repeated.
      if (!SHOWABLE_OPTION.test(token.rawName)) throw new CommandError("USAGE", `${positional} ${help}`);
      throw new CommandError("USAGE", `${unknownOption(command, token.rawName, Object.keys(spec))} ${help}`);
    }
    if (known.type === "string" && token.value === undefined) {
      throw new CommandError("USAGE", `--${token.name} needs a value. ${help}`);
    }
    // Not strict, parseArgs takes the next argument as the value even when it is an option (`--tenant --json`):
    // refused here, so the option after it keeps its meaning. `--tenant=-x` stays a value.
    if (known.type === "string" && !token.inlineValue && token.value?.startsWith("-") === true) {
      throw new CommandError(
        "USAGE",
        `--${token.name} needs a value, but the argument after it starts with "-" as an option does; to give a ` +
          `value that starts with "-", write --${token.name}=<value>. ${help}`,
      );
    }
    if (known.type === "boolean" && token.value !== undefined) {
      throw new CommandError("USAGE", `--${token.name} takes no value. ${help}`);
    }
    if (values[token.name] !== undefined && known.type === "string") {
      throw new CommandError("USAGE", `--${token.name} is given twice. ${help}`);
    }
    values[token.name] = known.type === "string" ? token.value : true;
  }
  return values;
}

function unknownOption(command: string, raw: string, names: readonly string[]): string {
  const name = raw.replace(/^-+/, "");
  const close = names.find((known) => distance(known, name) <= Math.min(2, Math.floor(known.length / 3)));
  return `oncekey ${command} has no option ${raw}.${close === undefined ? "" : ` Did you mean --${close}?`}`;
}

/** Levenshtein distance, for "did you mean"; the names are short. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
