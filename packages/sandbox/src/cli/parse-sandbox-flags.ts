import { parseArgs } from "node:util";
import type { StartSandboxOptions } from "../oncehub/start-sandbox-options.js";
import { CommandError } from "./command-error.js";

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
`;
}

/** `--ip-rate-limit <requests>/<seconds>`: seconds may have up to three decimals. */
function windowLimit(value: string | undefined): StartSandboxOptions["ipRateLimit"] | undefined {
  if (value === undefined) return undefined;
  if (value === "off") return false;
  const match = /^(\d{1,9})\/(\d{1,9}(?:\.\d{1,3})?)$/.exec(value);
  if (match === null) {
    throw new CommandError(
      `--ip-rate-limit takes <requests>/<seconds> (OnceHub's is 200/300) or "off", got "${value}".`,
      2,
    );
  }
  return { requests: Number(match[1]), windowMs: Math.round(Number(match[2]) * 1000) };
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new CommandError(`--${flag} takes a whole number, got "${value}".`, 2);
  return Number(value);
}

/**
 * Reads the command's arguments.
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
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: "string", short: "p" },
        "plain-port": { type: "string" },
        bookings: { type: "string" },
        "rate-limit": { type: "string" },
        "ip-rate-limit": { type: "string" },
        "retry-after": { type: "string" },
        email: { type: "string" },
        "key-file": { type: "string" },
        "ca-file": { type: "string" },
        "print-env": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new CommandError((error as Error).message, 2, { cause: error });
  }
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  };
  const port = integer("port", text("port"));
  const plainPort = integer("plain-port", text("plain-port"));
  const bookings = integer("bookings", text("bookings"));
  const rate = text("rate-limit");
  const ipRateLimit = windowLimit(text("ip-rate-limit"));
  const retry = text("retry-after");
  const email = text("email");
  const keyFile = text("key-file");
  const caFile = text("ca-file");
  const printEnv = values["print-env"] === true;
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
      ...(rate === undefined
        ? {}
        : { rateLimit: rate === "off" ? false : (integer("rate-limit", rate) ?? 5) }),
      ...(ipRateLimit === undefined ? {} : { ipRateLimit }),
      ...(retry === undefined
        ? {}
        : { retryAfter: retry === "auto" ? true : (integer("retry-after", retry) ?? 0) }),
      ...(email === undefined ? {} : { email }),
    },
    keyFile,
    caFile,
    printEnv,
    help: values["help"] === true,
  };
}
