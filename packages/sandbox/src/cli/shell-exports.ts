/** Values a POSIX shell reads as they are, unquoted. */
const SHELL_SAFE = /^[\w@%+=:,./-]+$/;

/** `value` as one POSIX shell word: as it is when safe, else in single quotes (a `'` inside as `'\''`). */
export function shellWord(value: string): string {
  return SHELL_SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `export NAME=value` lines for `eval "$(…)"` in sh, bash or zsh, each value quoted as the shell needs.
 *
 * @param variables - names and values, in the order to print them
 * @example
 * ```ts
 * shellExports({ ONCEKEY_CA_FILE: "/tmp/my dir/ca.pem" }); // "export ONCEKEY_CA_FILE='/tmp/my dir/ca.pem'\n"
 * ```
 */
export function shellExports(variables: Readonly<Record<string, string>>): string {
  return Object.entries(variables)
    .map(([name, value]) => `export ${name}=${shellWord(value)}\n`)
    .join("");
}
