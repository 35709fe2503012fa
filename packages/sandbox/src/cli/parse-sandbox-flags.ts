import type { StartSandboxOptions } from "../oncehub/start-sandbox-options.js";
import { CommandError } from "./command-error.js";
import { describeArgument, isPathArgument } from "./describe-argument.js";
import { readSandboxArguments } from "./read-sandbox-arguments.js";

/** What the command's arguments ask for. */
export interface SandboxFlags {
  /** The options for startSandbox that flags set directly (not `key` nor `tls`, which come from files). */
  readonly start: StartSandboxOptions;
  readonly keyFile: string | undefined;
  readonly caFile: string | undefined;
  readonly printEnv: boolean;
  readonly help: boolean;
}

/**
 * The command's help text.
 *
 * @param name - how the command is invoked, e.g. `oncekey-sandbox` or `oncekey sandbox`
 * @example
 * ```ts
 * stdout.write(sandboxUsage("oncekey sandbox"));
 * ```
 */
export function sandboxUsage(name: string): string {
  return `Usage: ${name} [options]

Starts a local OnceHub-compatible HTTPS server on 127.0.0.1 and prints its base URL, an API key and the path
of its CA file, also as the environment variables the oncekey packages read. Runs until interrupted (Ctrl+C)
or terminated.

Options:
  -p, --port <n>          HTTPS port (default: any free port)
      --plain-port <n>    plain-HTTP port, which fails every request (default: any free port)
      --bookings <n>      bookings seeded per account (default: 37)
      --rate-limit <n>    requests per second per account, or "off" (default: 5)
      --ip-rate-limit <requests>/<seconds>
                          OnceHub's per-IP limit: at most that many requests from one address in any
                          window of that many seconds (OnceHub's is 200/300), or "off" (default: off)
      --retry-after <s>   Retry-After on rate-limit 429s: seconds, or "auto" (default: none)
      --email <address>   the default account's email (default: admin@example.com)
      --key-file <path>   the default account's key: read from the file when it exists, else a new key
                          written there (mode 0600), so it stays the same across restarts
      --ca-file <path>    the CA certificate clients trust: read when it exists, else a new one written
                          there and kept, with the server's certificate and private key beside it in
                          <name>-server-key.pem (mode 0600; refused if others can read it)
                          (default: a new CA in a temporary directory, removed on exit)
      --print-env         print only "export" lines for the variables and exit without serving, for
                          eval "$(${name} --print-env --port <n> --key-file <path> --ca-file <path>)";
                          start the server with the same three flags (before or after)
  -h, --help              show this help

Messages never repeat an argument, in case it is a key typed in the wrong place; for the same reason a
relative path of more than 20 characters needs its "./" (./secrets/oncehub-sandbox.key).
`;
}

/** A flag's value, checked: the message names the flag and what it takes, and describes what was given. */
function refuse(flag: string, takes: string, value: string): never {
  throw new CommandError(`--${flag} takes ${takes}, got ${describeArgument(value)}.`, 2);
}

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) refuse(flag, `a whole number from ${min} to ${max}`, value);
  return number;
}

/** `--rate-limit <n|off>`: requests per second per account. */
function rateLimitFlag(value: string | undefined): number | false | undefined {
  if (value === undefined) return undefined;
  if (value === "off") return false;
  const number = /^\d{1,9}$/.test(value) ? Number(value) : 0;
  if (number < 1) refuse("rate-limit", 'a whole number of requests per second (1 or more) or "off"', value);
  return number;
}

/** `--retry-after <seconds|auto>`. */
function retryAfterFlag(value: string | undefined): number | true | undefined {
  if (value === undefined) return undefined;
  if (value === "auto") return true;
  const number = /^\d{1,9}$/.test(value) ? Number(value) : -1;
  if (!(number >= 0 && number <= 86_400))
    refuse("retry-after", 'whole seconds from 0 to 86400 or "auto"', value);
  return number;
}

/** `--ip-rate-limit <requests>/<seconds>`: seconds may have up to three decimals. */
function windowLimit(value: string | undefined): StartSandboxOptions["ipRateLimit"] | undefined {
  if (value === undefined) return undefined;
  if (value === "off") return false;
  const match = /^(\d{1,9})\/(\d{1,9}(?:\.\d{1,3})?)$/.exec(value);
  const requests = Number(match?.[1]);
  const windowMs = Math.round(Number(match?.[2]) * 1000);
  if (!(requests >= 1 && requests <= 100_000 && windowMs >= 1 && windowMs <= 86_400_000)) {
    refuse(
      "ip-rate-limit",
      '<requests>/<seconds> (OnceHub\'s is 200/300; requests from 1 to 100000, seconds from 0.001 to 86400) or "off"',
      value,
    );
  }
  return { requests, windowMs };
}

/** `--key-file` and `--ca-file`: a value that could be a key is neither used nor shown (see isPathArgument). */
function pathFlag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined || isPathArgument(value)) return value;
  throw new CommandError(
    `--${flag} takes a path; ${describeArgument(value)} that does not start with /, ./ or ../ is refused, ` +
      "since it could be a key pasted in the wrong place: start a relative path with ./ (or give it absolute).",
    2,
  );
}

/**
 * Reads the command's arguments. No message repeats a value: each names the flag and what it takes, and
 * describes what it got by its length, since a key pasted as an argument must not reach the terminal.
 *
 * @param argv - the arguments after the command's name
 * @throws CommandError (exit 2) for an unknown flag, a bad value, or `--print-env` without the flags that make
 *   what it prints true for a server started later
 * @example
 * ```ts
 * const flags = parseSandboxFlags(["--port", "8443", "--key-file", "key"]);
 * ```
 */
export function parseSandboxFlags(argv: readonly string[]): SandboxFlags {
  const values = readSandboxArguments(argv);
  const text = (name: string): string | undefined => {
    const value = values.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const port = integer("port", text("port"), 0, 65_535);
  const plainPort = integer("plain-port", text("plain-port"), 0, 65_535);
  const bookings = integer("bookings", text("bookings"), 0, 100_000);
  const rateLimit = rateLimitFlag(text("rate-limit"));
  const ipRateLimit = windowLimit(text("ip-rate-limit"));
  const retryAfter = retryAfterFlag(text("retry-after"));
  const email = text("email");
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email))
    refuse("email", "an email address (name@example.com)", email);
  const keyFile = pathFlag("key-file", text("key-file"));
  const caFile = pathFlag("ca-file", text("ca-file"));
  const printEnv = values.get("print-env") === true;
  if (printEnv) {
    const missing = [
      ...(port === undefined || port === 0 ? ["--port <n>"] : []),
      ...(keyFile === undefined ? ["--key-file <path>"] : []),
      ...(caFile === undefined ? ["--ca-file <path>"] : []),
    ];
    if (missing.length > 0) {
      throw new CommandError(
        `--print-env prints the variables of a sandbox started with the same --port, --key-file and --ca-file, ` +
          `so it needs all three; add ${missing.join(", ")}.`,
        2,
      );
    }
  }
  return {
    start: {
      ...(port === undefined ? {} : { port }),
      ...(plainPort === undefined ? {} : { plainPort }),
      ...(bookings === undefined ? {} : { bookings }),
      ...(rateLimit === undefined ? {} : { rateLimit }),
      ...(ipRateLimit === undefined ? {} : { ipRateLimit }),
      ...(retryAfter === undefined ? {} : { retryAfter }),
      ...(email === undefined ? {} : { email }),
    },
    keyFile,
    caFile,
    printEnv,
    help: values.get("help") === true,
  };
}
