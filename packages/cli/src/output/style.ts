import type { CommandOutput } from "../cli/command-io.js";

/** Text decorations for one stream; each returns its text unchanged when colour is off. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
}

const plain = (text: string): string => text;
const PLAIN: Style = { bold: plain, dim: plain, red: plain, green: plain, yellow: plain };

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const COLOUR: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
};

/**
 * Whether `stream` gets colour: only a terminal, and not when `NO_COLOR` is set to anything non-empty
 * (no-color.org) or `TERM` is `dumb`.
 *
 * @param stream - Where the text goes.
 * @param env - The variables to read (`NO_COLOR`, `TERM`).
 * @example
 * ```ts
 * const style = styleFor(process.stdout, process.env);
 * process.stdout.write(style.green("ok") + "\n");
 * ```
 */
export function styleFor(stream: CommandOutput, env: Readonly<Record<string, string | undefined>>): Style {
  const wanted =
    stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb";
  return wanted ? COLOUR : PLAIN;
}
