import { spawn } from "node:child_process";
import { join } from "node:path";

/** The built command, as `npx oncekey` runs it. */
export const ONCEKEY_BIN = join(__dirname, "..", "..", "dist", "bin", "oncekey.js");

/** How a run of the command ended. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** The variables besides PATH and HOME; nothing else of the test's environment is passed on. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Written to standard input, which is then closed (closed at once when absent); a promise is written once it
   * settles, so a test can act while the command waits for its input.
   */
  readonly stdin?: string | Promise<string>;
  /** @defaultValue the test's working directory */
  readonly cwd?: string;
}

/**
 * Runs `oncekey` as a child process, the way a shell does, and collects what it printed.
 *
 * @example
 * ```ts
 * const { code, stdout } = await runCli(["check", "--json"], { env: { ONCEHUB_API_KEY: key } });
 * ```
 */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...options.env,
  })) {
    if (value !== undefined) env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ONCEKEY_BIN, ...args], {
      env,
      cwd: options.cwd ?? process.cwd(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    Promise.resolve(options.stdin ?? "").then(
      (input) => child.stdin.end(input),
      (error: unknown) => {
        child.kill();
        reject(error);
      },
    );
  });
}

/** The one JSON object a `--json` run printed on stdout; throws when stdout holds anything else. */
export function jsonOf(run: CliRun): Record<string, unknown> {
  return JSON.parse(run.stdout) as Record<string, unknown>;
}
