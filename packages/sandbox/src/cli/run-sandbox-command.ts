import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Sandbox } from "../oncehub/sandbox.js";
import { startSandbox } from "../oncehub/start-sandbox.js";
import type { StartSandboxOptions } from "../oncehub/start-sandbox-options.js";

/** Options of {@link runSandboxCommand}. */
export interface RunSandboxCommandOptions {
  /** Where the banner goes. @defaultValue process.stdout */
  readonly stdout?: { write(text: string): unknown };
  /** Where usage errors go. @defaultValue process.stderr */
  readonly stderr?: { write(text: string): unknown };
  /** Stops the sandbox when aborted. @defaultValue none: runs until the process ends */
  readonly signal?: AbortSignal;
}

const USAGE = `Usage: oncekey-sandbox [options]

Starts a local OnceHub-compatible HTTPS server and prints its URL, a fresh API key and the path of its CA file.
Runs until interrupted (Ctrl+C) or terminated.

Options:
  -p, --port <n>          HTTPS port on 127.0.0.1 (default: any free port)
      --plain-port <n>    plain-HTTP port, which fails every request (default: any free port)
      --bookings <n>      bookings seeded per account (default: 37)
      --rate-limit <n>    requests per second per account, or "off" (default: 5)
      --retry-after <s>   Retry-After on rate-limit 429s: seconds, or "auto" (default: none)
      --email <address>   the default account's email (default: admin@example.com)
      --ca-file <path>    write the CA certificate here (default: a new temporary directory)
  -h, --help              show this help
`;

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new RangeError(`--${flag} takes a whole number, got "${value}".`);
  return Number(value);
}

function toOptions(values: Record<string, string | boolean | undefined>): StartSandboxOptions {
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  };
  const port = integer("port", text("port"));
  const plainPort = integer("plain-port", text("plain-port"));
  const bookings = integer("bookings", text("bookings"));
  const rate = text("rate-limit");
  const retry = text("retry-after");
  const email = text("email");
  return {
    ...(port === undefined ? {} : { port }),
    ...(plainPort === undefined ? {} : { plainPort }),
    ...(bookings === undefined ? {} : { bookings }),
    ...(rate === undefined ? {} : { rateLimit: rate === "off" ? false : (integer("rate-limit", rate) ?? 5) }),
    ...(retry === undefined
      ? {}
      : { retryAfter: retry === "auto" ? true : (integer("retry-after", retry) ?? 0) }),
    ...(email === undefined ? {} : { email }),
  };
}

/**
 * The `oncekey-sandbox` command: starts the sandbox, writes its CA certificate to a file, prints the URL, base
 * URL, a fresh API key and the CA path (also as the environment variables the oncekey packages read), then
 * waits for `signal` and closes everything, removing a CA file it put in a temporary directory.
 *
 * @param argv - the arguments after the command name
 * @returns the exit code: 0 after a clean stop or `--help`, 2 for a usage error
 * @example
 * ```ts
 * const controller = new AbortController();
 * process.once("SIGINT", () => controller.abort());
 * process.exitCode = await runSandboxCommand(process.argv.slice(2), { signal: controller.signal });
 * ```
 */
export async function runSandboxCommand(
  argv: readonly string[],
  options: RunSandboxCommandOptions = {},
): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let startOptions: StartSandboxOptions;
  let caFile: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: "string", short: "p" },
        "plain-port": { type: "string" },
        bookings: { type: "string" },
        "rate-limit": { type: "string" },
        "retry-after": { type: "string" },
        email: { type: "string" },
        "ca-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help === true) {
      stdout.write(USAGE);
      return 0;
    }
    startOptions = toOptions(values);
    caFile = values["ca-file"];
  } catch (error) {
    stderr.write(`oncekey-sandbox: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox(startOptions);
  } catch (error) {
    // startSandbox refuses impossible options (a port past 65535, an email that is none) before listening.
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    stderr.write(`oncekey-sandbox: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  let tempDir: string | undefined;
  try {
    let caPath: string;
    if (caFile === undefined) {
      tempDir = await mkdtemp(path.join(tmpdir(), "oncekey-sandbox-"));
      caPath = path.join(tempDir, "ca.pem");
    } else {
      caPath = path.resolve(caFile);
    }
    await writeFile(caPath, sandbox.ca, { mode: 0o644 });
    stdout.write(
      [
        "OnceHub sandbox running. Press Ctrl+C to stop.",
        "",
        `  URL         ${sandbox.url}`,
        `  Base URL    ${sandbox.baseUrl}`,
        `  API key     ${sandbox.key}`,
        `  CA file     ${caPath}`,
        `  Plain HTTP  ${sandbox.plainUrl} (fails every request)`,
        "",
        "For the oncekey packages:",
        `  ONCEHUB_BASE_URL=${sandbox.baseUrl}`,
        `  ONCEHUB_API_KEY=${sandbox.key}`,
        `  ONCEKEY_CA_FILE=${caPath}`,
        "",
        "Try it:",
        `  curl --cacert ${caPath} -H "API-Key: ${sandbox.key}" ${sandbox.baseUrl}/test`,
        "",
      ].join("\n"),
    );
    await new Promise<void>((resolve) => {
      if (options.signal === undefined) return;
      if (options.signal.aborted) return resolve();
      options.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  } finally {
    await sandbox.close();
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  }
  stdout.write("OnceHub sandbox stopped.\n");
  return 0;
}
