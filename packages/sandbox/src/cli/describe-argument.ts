/**
 * A flag the command's messages may repeat as typed: a long flag of at most 20 lowercase letters and dashes, the
 * shape of every flag it knows. Anything else (a key pasted where a flag goes) is described instead. Twenty
 * characters stay below any key worth the name (128 random bits take 22 characters in base64).
 */
const SHOWABLE_FLAG = /^--[a-z-]{1,20}$/;

/**
 * Where a path the command may use and print starts: `/`, `.` (`./`, `../`, `.oncekey/`), `~/` or a drive
 * letter, as a path is typed and no key in base64, base64url or hex begins.
 */
const PATH_START = /^(?:[/\\.]|~[/\\]|[A-Za-z]:[/\\])/;

/** The longest relative path taken as it is, for the same reason as {@link SHOWABLE_FLAG}'s twenty. */
const MAX_BARE_PATH = 20;

/**
 * Describes an argument without repeating any of it: the command's messages never echo what was typed, since a
 * key pasted into the wrong place would reach the terminal (and any log of it).
 *
 * @param value - the argument or value as given
 * @returns a noun phrase: `an empty value` or `a value of 43 characters`
 * @example
 * ```ts
 * `--port takes a whole number from 0 to 65535, got ${describeArgument(value)}.`;
 * ```
 */
export function describeArgument(value: string): string {
  if (value === "") return "an empty value";
  return `a value of ${value.length} character${value.length === 1 ? "" : "s"}`;
}

/**
 * How a message names an unknown flag: as typed when it has the shape of a flag (`--rate-limt`), else described
 * (`an argument of 45 characters`), so a key given where a flag goes is not repeated.
 *
 * @param name - the flag as typed, without any `=value`
 * @param argument - the whole argument it came from
 * @example
 * ```ts
 * shownFlag("--rate-limt", "--rate-limt=5"); // "--rate-limt"
 * ```
 */
export function shownFlag(name: string, argument: string): string {
  return SHOWABLE_FLAG.test(name)
    ? name
    : `(an argument of ${argument.length} character${argument.length === 1 ? "" : "s"})`;
}

/**
 * Whether a path flag's value clearly is a path the command may create files at and print: it starts like one
 * (`/`, `./`, `../`, `.name`, `~/`, `C:\`) or is a short relative path (at most 20 characters). A longer bare
 * value could be a key pasted into the wrong place; the command refuses it rather than write a file by that name.
 *
 * @param value - the value of `--key-file` or `--ca-file`
 * @example
 * ```ts
 * isPathArgument(".oncekey/sandbox-ca.pem"); // true
 * isPathArgument("canary/ohk+7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e"); // false
 * ```
 */
export function isPathArgument(value: string): boolean {
  return value !== "" && (PATH_START.test(value) || value.length <= MAX_BARE_PATH) && !/\p{Cc}/u.test(value);
}
