/** Option names are short identifiers; anything else is described, not quoted (it could be a key pasted there). */
const QUOTABLE_NAME = /^[A-Za-z_$][\w$]{0,31}$/;

/**
 * Refuses an options object that holds a name the function does not know, so a misspelt option (`rateLimt`) is
 * an error at once rather than a default silently used.
 *
 * @param where - who is asking, e.g. `"startSandbox"` or `"startSandbox: rateLimit"`
 * @param options - the options object as given
 * @param known - every option name it takes
 * @throws TypeError naming the unknown option and listing the known ones
 * @example
 * ```ts
 * checkOptionNames("startSandbox", options, ["port", "plainPort", "rateLimit"]);
 * ```
 */
export function checkOptionNames(where: string, options: object, known: readonly string[]): void {
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const shown = QUOTABLE_NAME.test(name) ? `"${name}"` : `(a name of ${name.length} characters)`;
    throw new TypeError(`${where}: unknown option ${shown}; the options are ${known.join(", ")}.`);
  }
}

/**
 * Checks that `value` is a plain options object (or left out), then that it holds only `known` names.
 *
 * @param where - who is asking, as in {@link checkOptionNames}
 * @param value - what was passed
 * @param known - every option name it takes
 * @returns the object, or `{}` when `value` is `undefined`
 * @example
 * ```ts
 * const options = optionsObject("startFakeKeyVault", given, ["port", "name"]);
 * ```
 */
export function optionsObject<T extends object>(
  where: string,
  value: T | undefined,
  known: readonly string[],
): T {
  if (value === undefined) return {} as T;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new TypeError(`${where}: options must be an object (or left out).`);
  checkOptionNames(where, value, known);
  return value;
}
