/**
 * What a configuration value is meant to be, for {@link quotableConfigValue} and {@link describeConfigValue}.
 *
 * @example
 * ```ts
 * const shape: ConfigValueShape = "path"; // ONCEKEY_FILE_PATH, ONCEKEY_CA_FILE
 * ```
 */
export type ConfigValueShape = "path" | "url" | "name";

/**
 * The longest name (or relative path) that messages and `source` strings repeat, `{tenant}` not counted.
 *
 * Key rules allow keys of 1 to 512 visible characters, so no length proves a value is not a key; but a key worth
 * the name carries at least 128 random bits, which takes 22 characters in base64, 26 in base32 and 32 in hex (the
 * sandbox's keys have 43). Twenty characters stay below all of them, and above the names oncekey's own defaults
 * and examples use (`ONCEHUB_API_KEY`, `azure-keyvault`, `oncehub-api-key`, `.env.local`).
 *
 * @example
 * ```ts
 * quotableConfigValue("A".repeat(MAX_QUOTED_NAME_LENGTH + 1), "name"); // undefined
 * ```
 */
export const MAX_QUOTED_NAME_LENGTH = 20;

/**
 * The longest environment variable name in the usual form (see {@link quotableConfigValue}) that messages and
 * `source` strings repeat, `{tenant}` not counted.
 *
 * @example
 * ```ts
 * quotableConfigValue("ACME_BILLING_SERVICE_ONCEHUB_API_KEY", "name"); // repeated: 36 characters
 * ```
 */
export const MAX_QUOTED_VARIABLE_LENGTH = 64;

const PLACEHOLDER = "{tenant}";
const NAME = /^[A-Za-z0-9_-]*$/;
/** Upper-case words of letters and digits, joined by single `_`: `ACME_BILLING_ONCEHUB_API_KEY`. */
const VARIABLE_NAME_FORM = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const CONTROL = /\p{Cc}/u;
/** `/`, `./`, `../`, `~/` (either slash) or a drive letter: typed as a path, never the start of a key. */
const PATH_START = /^(?:[/\\]|\.{1,2}[/\\]|~[/\\]|[A-Za-z]:[/\\])/;
const HTTP_URL_START = /^https?:\/\//i;

/**
 * Returns `value` when a message, a `source` string or an event may repeat it, `undefined` when it must not.
 *
 * The rule, one for every configuration variable and option: a value is repeated only when it clearly has its
 * expected shape and could not be a key pasted into the wrong place.
 *
 * - `"path"`: starts with `/`, `./`, `../`, `~/` or a drive letter (`C:\`), or is a relative path of at most
 *   {@link MAX_QUOTED_NAME_LENGTH} characters (`.env`, `keys/oncehub`); no control characters.
 * - `"url"`: starts with `https://` or `http://`, parses, has a host, and holds no credentials, query or fragment.
 * - `"name"`: letters, digits, `_` and `-`, at most {@link MAX_QUOTED_NAME_LENGTH} of them besides a `{tenant}`
 *   placeholder; or an environment variable name in the usual form, of up to {@link MAX_QUOTED_VARIABLE_LENGTH}:
 *   upper-case words of letters and digits joined by single `_`, starting with a letter
 *   (`ACME_BILLING_SERVICE_ONCEHUB_API_KEY`, `ONCEHUB_API_KEY_{tenant}`).
 *
 * Why such a name cannot be a key in practice: a key is random text, and the alphabets keys are written in either
 * mix cases (base64, base64url: a random character is an upper-case letter, a digit or `_` with a chance of 37 in
 * 64, so 22 of them, the fewest that carry 128 bits, all are with a chance of about 6 in a million, and 43 of them,
 * a 256-bit key such as the sandbox's, with a chance of about 6 in a hundred billion; nor do such keys come with
 * `_` only between words), or hold no `_` at all (hex, base32, upper case or not). A name written for people has
 * words and underscores; a key has neither, so the name is shown and the user sees what to fix. The canary keys of
 * `@oncekey/sandbox` (one of them a valid variable name, but in mixed case) stay hidden.
 *
 * Anything else (a key, a URL without its scheme, a long or odd name) is described by
 * {@link describeConfigValue} instead: its length and what it is not, never a character of it. The caller's own
 * syntax check comes on top: a name Key Vault would refuse is not quoted just because it is short.
 *
 * @param value - What the variable or option holds.
 * @param shape - What it should be.
 * @returns `value` itself, or `undefined` when it must not be shown.
 * @example
 * ```ts
 * const shown = quotableConfigValue(path, "path");
 * const message =
 *   shown === undefined
 *     ? `MY_KEY_PATH (${describeConfigValue(path, "path")}) cannot be read.`
 *     : `MY_KEY_PATH=${shown} cannot be read.`;
 * ```
 */
export function quotableConfigValue(value: unknown, shape: ConfigValueShape): string | undefined {
  if (typeof value !== "string" || value === "" || CONTROL.test(value)) return undefined;
  switch (shape) {
    case "path":
      return PATH_START.test(value) || value.length <= MAX_QUOTED_NAME_LENGTH ? value : undefined;
    case "url":
      return isPlainHttpUrl(value) ? value : undefined;
    case "name": {
      const fixed = value.split(PLACEHOLDER).join("");
      if (NAME.test(fixed) && fixed.length <= MAX_QUOTED_NAME_LENGTH) return value;
      return isVariableNameForm(value) ? value : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Describes a configuration value without repeating any of it, for a message about a value that
 * {@link quotableConfigValue} would not show: its type, or its length and, for a path, whether it is relative.
 *
 * @param value - What the variable or option holds.
 * @param shape - What it should be; leave it out for a value of unknown purpose.
 * @returns A noun phrase such as `a relative path of 43 characters`, `a value of 43 characters`, `a number`.
 * @example
 * ```ts
 * describeConfigValue("canary-ohk-7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e", "path"); // "a relative path of 43 characters"
 * describeConfigValue(42); // "a number"
 * ```
 */
export function describeConfigValue(value: unknown, shape?: ConfigValueShape): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "string") return typeof value === "object" ? "an object" : `a ${typeof value}`;
  if (value === "") return "an empty string";
  const length = `${value.length} character${value.length === 1 ? "" : "s"}`;
  if (shape === "path") return `a ${PATH_START.test(value) ? "" : "relative "}path of ${length}`;
  if (shape === "name" && NAME.test(value.split(PLACEHOLDER).join(""))) return `a name of ${length}`;
  return shape === undefined ? `a string of ${length}` : `a value of ${length}`;
}

/** An environment variable name in the usual form, `{tenant}` standing for a word, of at most 64 fixed characters. */
function isVariableNameForm(value: string): boolean {
  const parts = value.split(PLACEHOLDER);
  return parts.join("").length <= MAX_QUOTED_VARIABLE_LENGTH && VARIABLE_NAME_FORM.test(parts.join("TENANT"));
}

function isPlainHttpUrl(value: string): boolean {
  if (!HTTP_URL_START.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.hostname !== "" && url.username === "" && url.password === "" && url.search === "" && url.hash === ""
  );
}
