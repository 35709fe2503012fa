import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/** The app as a running process. */
export interface RunningApp {
  /** Where it listens, from its first line. */
  readonly url: string;
  /** Every line it printed so far, standard output and error. */
  readonly lines: string[];
  /** Sends SIGTERM and waits for the process to end on its own. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node <main>` with only `env` (and PATH) as its environment; resolves once it prints `{ "listening" }`,
 * rejects with its output when it exits first.
 */
export async function runApp(main: string, env: Record<string, string>): Promise<RunningApp> {
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
      child.kill("SIGTERM");
      const [code, signal] = await exited;
      return { code, signal };
    },
  };
}

/** Runs `node <main>` to its end with only `env` (and PATH); for configurations it refuses. */
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
