import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { optionsObject } from "../options/check-option-names.js";
import type { Sandbox } from "../oncehub/sandbox.js";
import { startSandbox } from "../oncehub/start-sandbox.js";
import { resolveSandboxOptions, type StartSandboxOptions } from "../oncehub/start-sandbox-options.js";
import { CommandError } from "./command-error.js";
import { parseSandboxFlags, sandboxUsage, type SandboxFlags } from "./parse-sandbox-flags.js";
import { loadOrCreateKeyFile, type SandboxKeyFile } from "./sandbox-key-file.js";
import { caExpiry, loadOrCreateTlsFiles, type SandboxTlsFiles } from "./sandbox-tls-files.js";
import { shellExports, shellWord } from "./shell-exports.js";

/** Where the command writes: anything with a `write(text)`, such as `process.stdout`. */
export interface CommandOutput {
  write(text: string): unknown;
}

/**
 * Options of {@link runSandboxCommand}: where it writes, what stops it, and what it calls itself, so another
 * command (`oncekey sandbox`) can run it as its own.
 *
 * @example
 * ```ts
 * await runSandboxCommand(["--port", "8443"], { name: "oncekey sandbox", signal: controller.signal });
 * ```
 */
export interface RunSandboxCommandOptions {
  /** Where the banner, `--help` and `--print-env`'s lines go. @defaultValue process.stdout */
  readonly stdout?: CommandOutput;
  /** Where errors, warnings and `--print-env`'s note go. @defaultValue process.stderr */
  readonly stderr?: CommandOutput;
  /** Stops the sandbox when aborted. @defaultValue none: runs until the process ends */
  readonly signal?: AbortSignal;
  /** The command's name, as the usage text and messages show it. @defaultValue "oncekey-sandbox" */
  readonly name?: string;
}

const OPTION_NAMES = ["stdout", "stderr", "signal", "name"] as const;

interface Prepared {
  readonly flags: SandboxFlags;
  readonly keyFile: SandboxKeyFile | undefined;
  readonly tlsFiles: SandboxTlsFiles | undefined;
  readonly start: StartSandboxOptions;
}

interface CheckedOptions {
  readonly stdout: CommandOutput;
  readonly stderr: CommandOutput;
  readonly signal: AbortSignal | undefined;
  readonly name: string;
}

function checkOptions(options: RunSandboxCommandOptions | undefined): CheckedOptions {
  const given = optionsObject("runSandboxCommand", options, OPTION_NAMES);
  for (const stream of ["stdout", "stderr"] as const) {
    if (given[stream] !== undefined && typeof given[stream]?.write !== "function")
      throw new TypeError(`runSandboxCommand: ${stream} must have a write(text) method.`);
  }
  if (given.signal !== undefined && !(given.signal instanceof AbortSignal))
    throw new TypeError("runSandboxCommand: signal must be an AbortSignal.");
  if (given.name !== undefined && (typeof given.name !== "string" || given.name.trim() === ""))
    throw new TypeError('runSandboxCommand: name must be the command\'s name, e.g. "oncekey sandbox".');
  return {
    stdout: given.stdout ?? process.stdout,
    stderr: given.stderr ?? process.stderr,
    signal: given.signal,
    name: given.name ?? "oncekey-sandbox",
  };
}

/** Reads the flags and the files they name, creating what is missing, and checks the resulting options. */
async function prepare(argv: readonly string[]): Promise<Prepared> {
  const flags = parseSandboxFlags(argv);
  if (flags.help) return { flags, keyFile: undefined, tlsFiles: undefined, start: flags.start };
  const keyFile = flags.keyFile === undefined ? undefined : await loadOrCreateKeyFile(flags.keyFile);
  const tlsFiles = flags.caFile === undefined ? undefined : await loadOrCreateTlsFiles(flags.caFile);
  const start: StartSandboxOptions = {
    ...flags.start,
    ...(keyFile === undefined ? {} : { key: keyFile.key }),
    ...(tlsFiles === undefined ? {} : { tls: tlsFiles.tls }),
  };
  try {
    resolveSandboxOptions(start);
  } catch (error) {
    // Impossible values (a port past 65535, an email that is none), refused before anything listens.
    throw new CommandError((error as Error).message, 2, { cause: error });
  }
  return { flags, keyFile, tlsFiles, start };
}

/** The variables an app needs to reach the sandbox, in the order the banner and `--print-env` show them. */
const environment = (baseUrl: string, key: string, caFile: string) => ({
  ONCEHUB_BASE_URL: baseUrl,
  ONCEHUB_API_KEY: key,
  ONCEKEY_CA_FILE: caFile,
});

function banner(name: string, sandbox: Sandbox, caFile: string, prepared: Prepared): string {
  const { keyFile, tlsFiles, flags } = prepared;
  const kept = (created: boolean) => (created ? "written now, kept" : "read, kept");
  const printEnv = [
    ...(flags.start.port === undefined || flags.start.port === 0 ? [] : [`--port ${flags.start.port}`]),
    ...(keyFile === undefined ? [] : [`--key-file ${shellWord(keyFile.path)}`]),
    ...(tlsFiles === undefined ? [] : [`--ca-file ${shellWord(tlsFiles.caFile)}`]),
  ];
  return [
    "OnceHub sandbox running. Press Ctrl+C to stop.",
    "",
    `  URL         ${sandbox.url}`,
    `  Base URL    ${sandbox.baseUrl}`,
    `  API key     ${sandbox.key}`,
    `  CA file     ${caFile}`,
    `  Plain HTTP  ${sandbox.plainUrl} (fails every request)`,
    ...(keyFile === undefined ? [] : [`  Key file    ${keyFile.path} (${kept(keyFile.created)})`]),
    ...(tlsFiles === undefined
      ? []
      : [
          `  Server key  ${tlsFiles.serverKeyFile} (${kept(tlsFiles.created)}; the CA is valid until ` +
            `${caExpiry(tlsFiles.tls)})`,
        ]),
    "",
    "For the oncekey packages:",
    shellExports(environment(sandbox.baseUrl, sandbox.key, caFile)).trimEnd(),
    ...(printEnv.length === 3
      ? [
          "",
          "In another shell, the same without copying:",
          `  eval "$(${name} --print-env ${printEnv.join(" ")})"`,
        ]
      : []),
    "",
    "Try it:",
    `  curl --cacert ${shellWord(caFile)} -H ${shellWord(`API-Key: ${sandbox.key}`)} ${sandbox.baseUrl}/test`,
    "",
  ].join("\n");
}

const until = (signal: AbortSignal | undefined): Promise<void> =>
  new Promise<void>((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });

/**
 * The `oncekey-sandbox` command, for the package's bin and for other commands that offer it (`oncekey sandbox`):
 * starts the sandbox, prints its URL, base URL, API key and CA file (also as `export` lines for the variables
 * the oncekey packages read), then serves until `signal` aborts and closes everything.
 *
 * - `--key-file F` keeps the default account's key in F (read when it exists, else written with mode 0600).
 * - `--ca-file F` keeps the CA certificate in F and the server's certificate and private key beside it in
 *   `<F without .pem>-server-key.pem` (mode 0600, refused when others may read it); without it, a new CA goes to
 *   a temporary directory removed on exit.
 * - `--print-env` (with `--port`, `--key-file` and `--ca-file`) prints only the three `export` lines, creating
 *   the files if needed, and returns at once without serving, so `eval "$(… --print-env …)"` never blocks; the
 *   server started with the same three flags, before or after, answers at that URL with that key and CA.
 *
 * It never throws for bad input: a usage or configuration error is one line on `stderr` and exit code 2,
 * anything else (a port in use) one line and exit code 1.
 *
 * @param argv - the arguments after the command's name
 * @param options - where to write, what stops it, its name; see {@link RunSandboxCommandOptions}
 * @returns the exit code: 0 after a clean stop, `--help` or `--print-env`; 2 for a usage or configuration
 *   error; 1 for anything else
 * @example
 * ```ts
 * const controller = new AbortController();
 * process.once("SIGINT", () => controller.abort());
 * process.exitCode = await runSandboxCommand(process.argv.slice(2), { signal: controller.signal });
 * ```
 */
export async function runSandboxCommand(
  argv: readonly string[],
  options?: RunSandboxCommandOptions,
): Promise<number> {
  const { stdout, stderr, signal, name } = checkOptions(options);
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === "string"))
    throw new TypeError("runSandboxCommand: argv must be an array of strings.");
  const fail = (error: unknown): number => {
    const code = error instanceof CommandError ? error.exitCode : 1;
    stderr.write(
      `${name}: ${(error as Error).message}\n${code === 2 ? `Run "${name} --help" for the options.\n` : ""}`,
    );
    return code;
  };

  let prepared: Prepared;
  try {
    prepared = await prepare(argv);
  } catch (error) {
    return fail(error);
  }
  const { flags, keyFile, tlsFiles, start } = prepared;
  if (flags.help) {
    stdout.write(sandboxUsage(name));
    return 0;
  }
  if (keyFile?.warning !== undefined) stderr.write(`${name}: warning: ${keyFile.warning}\n`);
  if (flags.printEnv && keyFile !== undefined && tlsFiles !== undefined) {
    stdout.write(
      shellExports(environment(`https://127.0.0.1:${start.port}/v2`, keyFile.key, tlsFiles.caFile)),
    );
    stderr.write(
      `${name}: printed the environment only; serve it with the same --port, --key-file and --ca-file\n`,
    );
    return 0;
  }

  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox(start);
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
    return fail(inUse ? new CommandError(`port ${String(start.port)} on 127.0.0.1 is in use.`, 1) : error);
  }
  let tempDir: string | undefined;
  try {
    let caFile = tlsFiles?.caFile;
    if (caFile === undefined) {
      tempDir = await mkdtemp(path.join(tmpdir(), "oncekey-sandbox-"));
      caFile = path.join(tempDir, "ca.pem");
      await writeFile(caFile, sandbox.ca, { mode: 0o644 });
    }
    stdout.write(banner(name, sandbox, caFile, prepared));
    await until(signal);
  } catch (error) {
    return fail(error);
  } finally {
    await sandbox.close();
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
  }
  stdout.write("OnceHub sandbox stopped.\n");
  return 0;
}
