/** The commands `oncekey` runs. */
export type CommandName = "check" | "doctor" | "rotate" | "sandbox" | "demo";

/**
 * Every command, in the order the overview lists them.
 *
 * @example
 * ```ts
 * COMMAND_NAMES.includes("check"); // true
 * ```
 */
export const COMMAND_NAMES: readonly CommandName[] = ["check", "doctor", "rotate", "sandbox", "demo"];

const EXIT_CODES = `Exit codes:
  0  ok
  1  anything else (a key source failed, another account's key, a write failed)
  2  configuration: no key, a malformed key, a bad setting, an invalid tenant, a usage error
  3  OnceHub rejected the key (401, or 403: no API access on the plan)
  4  OnceHub unreachable: network, TLS, timeout, 5xx or 429 after retries`;

const CONFIGURATION = `Configuration: the library's own, from the environment (ONCEKEY_SOURCE, ONCEHUB_API_KEY, ONCEKEY_ENV_VAR,
ONCEKEY_DOTENV_PATH, ONCEKEY_FILE_PATH, ONCEKEY_KEYVAULT_URL, ONCEKEY_KEYVAULT_SECRET, ONCEHUB_BASE_URL,
ONCEKEY_CA_FILE), so the command sees the key the app would use.`;

/**
 * `oncekey --help`: the commands, the configuration and the exit codes.
 *
 * @example
 * ```ts
 * io.stdout.write(OVERVIEW);
 * ```
 */
export const OVERVIEW = `Usage: oncekey <command> [options]

Check, diagnose and rotate the OnceHub API key an app is configured with.

Commands:
  check     resolve the key as the app would, call GET /test, print source, fingerprint, account, latency
  doctor    each configured key source: what was tried, what was found, warnings; then the same call as check
  rotate    read a new key on standard input, prove it works for the same account, write it to the source
  sandbox   run a local OnceHub sandbox (a key and CA kept across restarts with --key-file and --ca-file),
            print the variables an app needs (--print-env for eval)
  demo      a tour of oncekey against the local sandbox

Options:
  -h, --help     show help (also: oncekey <command> --help)
  -v, --version  print the version

${CONFIGURATION}

${EXIT_CODES}
`;

/**
 * `oncekey <command> --help`, by command; `sandbox` prints the sandbox command's own.
 *
 * @example
 * ```ts
 * io.stdout.write(COMMAND_USAGE.check);
 * ```
 */
export const COMMAND_USAGE: Readonly<Record<Exclude<CommandName, "sandbox">, string>> = {
  check: `Usage: oncekey check [--tenant <id>] [--json]

Resolves the key exactly as the app would (ONCEKEY_SOURCE and the rest), calls OnceHub's GET /test with it and
prints where the key came from, its fingerprint, the account it belongs to and how long the request took.

Options:
      --tenant <id>  the tenant whose key to check ({tenant} in the configured path, variable or secret)
      --json         print one JSON object on stdout: ok, source, fingerprint, account, latencyMs, warnings, error
  -h, --help         show this help

${CONFIGURATION}

${EXIT_CODES}
`,
  doctor: `Usage: oncekey doctor [--tenant <id>] [--json]

Tries every source in ONCEKEY_SOURCE one by one and says what each tried and found (the first that has a key is
the one the app uses), warns about what weakens the key's safety, then makes the same call as oncekey check.

Warnings: a key file or .env file readable by group or others; a .env file tracked by git; a key older than six
months (OnceHub advises rotating at least that often) where the source knows its age; a base URL that is not
OnceHub's; an extra CA file in use.

Options:
      --tenant <id>  the tenant whose key to diagnose
      --json         print one JSON object on stdout (the fields of check, plus steps)
  -h, --help         show this help

${EXIT_CODES}
`,
  rotate: `Usage: oncekey rotate [--tenant <id>] [--account <email>] [--json] < new-key

Reads the new key from standard input (hidden while typed on a terminal; never from an argument, which would show
up in ps and the shell history), checks it with OnceHub, refuses it unless it works and belongs to the same
account as the current key, then writes it where the current key came from:
  file            the key file, replaced atomically with the same mode and owner
  dotenv          the variable's value in the .env file, every other byte of the file kept
  azure-keyvault  a new version of the secret
  env             not written: the command says what to change; processes must restart to read it
Then it prints the new fingerprint and the next step: delete the old key in OnceHub once every instance shows
the new fingerprint.

Options:
      --tenant <id>       the tenant whose key to rotate
      --account <email>   the account the new key must belong to; needed only when the current key cannot be
                          checked (OnceHub already rejects it)
      --json              print one JSON object on stdout (the fields of check for the new key, plus
                          previousFingerprint, written and nextStep)
  -h, --help              show this help

${EXIT_CODES}
`,
  demo: `Usage: oncekey demo

A tour of oncekey against a local sandbox: the key source chosen by configuration, a key file rotated the way
OnceHub recommends and the legacy way, a signed webhook, and what the logs see of the key. Needs no network.

Options:
  -h, --help  show this help
`,
};
