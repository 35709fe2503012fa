import { parse } from "dotenv";
import { CommandError } from "../errors/command-error.js";

/**
 * dotenv's own line grammar (dotenv 18, `lib/main.js`), with the `d` flag for the value's position: the same
 * matches dotenv's `parse` makes, so the value replaced is the one dotenv reads.
 */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/dgm;

/** Quotes, tried in this order after the value's own: single quotes keep every character as is in dotenv. */
const QUOTES = ["'", "`", '"', ""];

/**
 * Returns `.env` content with one variable's value replaced by `key`, every other byte kept: comments, blank
 * lines, `export`, other variables, line endings (CRLF included), the spacing and any comment on the same line.
 *
 * The value that changes is the one dotenv reads (the last definition of the variable). It keeps its quotes when
 * the new key reads back unchanged with them, else takes the first of `'`, `` ` ``, `"` or none that does; the
 * result is checked with dotenv's `parse`: the variable reads as `key` and every other variable as before.
 *
 * @param content - The file as read.
 * @param variable - The variable to rewrite.
 * @param key - The new value.
 * @param shown - The file as messages may name it.
 * @throws {@link CommandError} `WRITE_FAILED` when the file is not UTF-8, does not define the variable, or no
 *   quoting reads back as `key`.
 * @example
 * ```ts
 * rewriteDotenvValue(Buffer.from("# prod\nexport ONCEHUB_API_KEY='old' # rotated\n"), "ONCEHUB_API_KEY", "new", ".env");
 * // "# prod\nexport ONCEHUB_API_KEY='new' # rotated\n"
 * ```
 */
export function rewriteDotenvValue(content: Buffer, variable: string, key: string, shown: string): Buffer {
  const raw = content.toString("utf8");
  if (!Buffer.from(raw, "utf8").equals(content)) {
    throw new CommandError(
      "WRITE_FAILED",
      `${shown} was not changed: it is not UTF-8 text, as dotenv reads it.`,
    );
  }
  // dotenv turns CRLF and CR into LF before matching; positions found there are mapped back to the raw text.
  const { text, rawOffset } = normaliseLineEnds(raw);
  let last: RegExpExecArray | undefined;
  for (const match of text.matchAll(LINE)) if (match[1] === variable) last = match;
  const span = last?.indices?.[2];
  if (last === undefined || span === undefined) {
    throw new CommandError(
      "WRITE_FAILED",
      `${shown} was not changed: it no longer defines the key's variable.`,
    );
  }
  const value = text.slice(span[0], span[1]);
  const start = span[0] + (value.length - value.trimStart().length);
  const end = span[1] - (value.length - value.trimEnd().length);
  const current = text.slice(start, end);
  const own = current.length >= 2 && /^['"`]$/.test(current[0] ?? "") && current.endsWith(current[0] ?? "");
  const before = parse(content);
  for (const quote of new Set([own ? (current[0] as string) : "", ...QUOTES])) {
    const candidate = raw.slice(0, rawOffset(start)) + quote + key + quote + raw.slice(rawOffset(end));
    if (readsBack(before, parse(candidate), variable, key)) return Buffer.from(candidate, "utf8");
  }
  throw new CommandError(
    "WRITE_FAILED",
    `${shown} was not changed: no quoting of the new key reads back unchanged with dotenv. Use the file source ` +
      "(ONCEKEY_SOURCE=file) for this key.",
  );
}

function readsBack(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
  variable: string,
  key: string,
): boolean {
  const names = Object.keys(before);
  if (Object.keys(after).length !== names.length || after[variable] !== key) return false;
  return names.every((name) => name === variable || after[name] === before[name]);
}

/** `raw` with CRLF and CR as LF, and a map from positions in that text back to positions in `raw`. */
function normaliseLineEnds(raw: string): { text: string; rawOffset: (index: number) => number } {
  if (!raw.includes("\r")) return { text: raw, rawOffset: (index) => index };
  const offsets: number[] = [];
  let text = "";
  for (let i = 0; i < raw.length; i++) {
    offsets.push(i);
    if (raw[i] === "\r") {
      text += "\n";
      if (raw[i + 1] === "\n") i++;
    } else {
      text += raw[i];
    }
  }
  offsets.push(raw.length);
  return { text, rawOffset: (index) => offsets[index] ?? raw.length };
}
