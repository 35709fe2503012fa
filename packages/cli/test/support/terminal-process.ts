import { spawn } from "node:child_process";
import { ONCEKEY_BIN, type CliRun } from "./cli-process.js";

/** Options of {@link runInTerminal}. */
export interface RunInTerminalOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Typed into the terminal once the output holds `after`. */
  readonly type?: { readonly after: string; readonly keys: string };
}

const quote = (arg: string): string => `'${arg.replaceAll("'", "'\\''")}'`;

/**
 * Runs `oncekey` with a real terminal (a pseudo-terminal from util-linux's `script`) as its standard input,
 * output and error, and types into it, as a person at a terminal would. Everything the terminal showed, typed
 * characters echoed or not, comes back as `stdout`.
 *
 * @example
 * ```ts
 * const run = await runInTerminal(["rotate"], { env, type: { after: "typing is hidden", keys: `${key}\r` } });
 * ```
 */
export function runInTerminal(args: readonly string[], options: RunInTerminalOptions = {}): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TERM: "xterm-256color",
    SHELL: "/bin/sh",
    ...options.env,
  })) {
    if (value !== undefined) env[name] = value;
  }
  const command = [process.execPath, ONCEKEY_BIN, ...args].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    // -q: no banner; -e: the command's exit code; -c: the command; /dev/null: no typescript file.
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      env,
      cwd: options.cwd ?? process.cwd(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    let typed = options.type === undefined;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      if (!typed && options.type !== undefined && output.includes(options.type.after)) {
        typed = true;
        child.stdin.write(options.type.keys);
      }
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: output, stderr }));
  });
}
