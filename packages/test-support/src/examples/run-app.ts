import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/** An example app running as a process, started by {@link runApp}. */
export interface RunningExample {
  /** Where it listens, from its first line. */
  readonly url: string;
  /** Every line it printed so far, standard output and error. */
  readonly lines: string[];
  /** Sends SIGTERM (unless the process already ended) and waits for the process to end on its own. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node <main>` with only `env` (and PATH) as its environment; resolves once it prints a JSON line with
 * `listening` (its URL), rejects with its output when it exits first.
 *
 * @param main - The built app's entry file.
 * @param env - The app's whole environment besides PATH.
 * @example
 * ```ts
 * const app = await runApp(join(__dirname, "..", "dist", "main.js"), { PORT: "0", ONCEKEY_SOURCE: "file" });
 * expect(await app.stop()).toEqual({ code: 0, signal: null });
 * ```
 */
export async function runApp(main: string, env: Record<string, string>): Promise<RunningExample> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const listening = new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        lines.push(line);
        const url = (JSON.parse(line.startsWith("{") ? line : "{}") as { listening?: string }).listening;
        if (url !== undefined) resolve(url);
      });
    }
    void exited.then(([code]) =>
      reject(new Error(`The app exited (${code}) before listening:\n${lines.join("\n")}`)),
    );
  });
  const url = await listening;
  return {
    url,
    lines,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const [code, signal] = await exited;
      return { code, signal };
    },
  };
}

/**
 * Runs `node <main>` to its end with only `env` (and PATH) as its environment: for configurations the app refuses
 * at start-up.
 *
 * @param main - The built app's entry file.
 * @param env - The app's whole environment besides PATH.
 * @example
 * ```ts
 * const refused = await runToEnd(main, { ...env, ONCEKEY_SOURCE: "file,vault" });
 * expect(refused.code).toBe(1);
 * ```
 */
export async function runToEnd(
  main: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, output: Buffer.concat(chunks).toString("utf8") };
}
