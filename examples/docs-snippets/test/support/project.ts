import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach } from "@jest/globals";
import { useTempDir } from "@oncekey/test-support";
import ts from "typescript";
import { REPO } from "./markdown.js";

/** What a command printed, and how it ended. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run one command of a snippet. */
export interface RunOptions {
  /** Variables besides the project's own (PATH, HOME, npm offline). */
  readonly env?: Record<string, string | undefined>;
  /** Written to standard input, which is then closed. */
  readonly input?: string;
}

/**
 * A directory laid out as a user's project after `npm install` of the published packages: each `@oncekey/*`
 * package linked into node_modules (its built `dist`, as the registry would serve it), their commands in
 * node_modules/.bin, so `npx oncekey …` runs without the network and `import "@oncekey/core"` loads the build.
 */
export interface Project {
  readonly dir: string;
  /** Runs a shell snippet with bash (`-euo pipefail`) in the project. */
  sh(script: string, options?: RunOptions): Promise<RunResult>;
  /** Starts a shell command that keeps running (a server); it is stopped (SIGTERM) after the test. */
  start(script: string, options?: RunOptions): ChildProcess & { output(): string };
  /** Runs a `ts` or `js` snippet as an ES module of the project with node (TypeScript transpiled first). */
  node(code: string, language: string, options?: RunOptions & { file?: string }): Promise<RunResult>;
  /** Writes a file of the project (a snippet saved as `app.js`; a key file with mode 0o600). */
  write(file: string, content: string, mode?: number): Promise<void>;
}

/** The published packages of the workspace: folder and manifest. */
function publishedPackages(): { dir: string; name: string; bin: Record<string, string> }[] {
  const root = join(REPO, "packages");
  return readdirSync(root).flatMap((dir) => {
    try {
      const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as {
        name: string;
        private?: boolean;
        bin?: Record<string, string>;
      };
      return manifest.private === true
        ? []
        : [{ dir: join(root, dir), name: manifest.name, bin: manifest.bin ?? {} }];
    } catch {
      return [];
    }
  });
}

/** The environment every command of a project gets: nothing of this process's but PATH and HOME. */
function baseEnv(dir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: `${join(dir, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
    HOME: process.env.HOME ?? dir,
    // npx finds the project's commands; it must never reach for the registry.
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    NO_COLOR: "1",
  };
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

function collect(child: ChildProcess, input: string | undefined): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin?.end(input ?? "");
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Gives each test a fresh project (see {@link Project}) in a temporary directory, removed after the test.
 *
 * @example
 * ```ts
 * const project = useProject();
 * it("checks the key", async () => {
 *   const { stdout } = await project().sh("npx oncekey check", { env });
 * });
 * ```
 */
export function useProject(): () => Project {
  const temp = useTempDir("oncekey-docs-");
  const started: ChildProcess[] = [];
  let current: Project | undefined;

  async function create(dir: string): Promise<Project> {
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({ name: "my-app", private: true, type: "module" }),
    );
    await mkdir(join(dir, "node_modules", "@oncekey"), { recursive: true });
    await mkdir(join(dir, "node_modules", ".bin"));
    for (const pkg of publishedPackages()) {
      await symlink(pkg.dir, join(dir, "node_modules", pkg.name));
      for (const [command, file] of Object.entries(pkg.bin)) {
        const shim = join(dir, "node_modules", ".bin", command);
        await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(pkg.dir, file)}" "$@"\n`);
        await chmod(shim, 0o755);
      }
    }
    let files = 0;
    return {
      dir,
      sh: (script, options = {}) =>
        collect(
          spawn("bash", ["--norc", "--noprofile", "-euo", "pipefail", "-c", script], {
            cwd: dir,
            env: baseEnv(dir, options.env),
          }),
          options.input,
        ),
      start(script, options = {}) {
        const child = spawn("bash", ["-c", `exec ${script.trim()}`], {
          cwd: dir,
          env: baseEnv(dir, options.env),
          stdio: ["ignore", "pipe", "pipe"],
          // Its own process group, so stopping it stops what npx started under it.
          detached: true,
        });
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        started.push(child);
        return Object.assign(child, { output: () => output });
      },
      write: async (file, content, mode = 0o644) => {
        await mkdir(dirname(join(dir, file)), { recursive: true });
        await writeFile(join(dir, file), content, { mode });
      },
      async node(code, language, options = {}) {
        const source = /^(ts|typescript)$/.test(language)
          ? ts.transpileModule(code, {
              compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
            }).outputText
          : code;
        const file = options.file ?? `snippet-${(files += 1)}.mjs`;
        await writeFile(join(dir, file), source);
        return collect(
          spawn(process.execPath, [file], { cwd: dir, env: baseEnv(dir, options.env) }),
          options.input,
        );
      },
    };
  }

  beforeEach(async () => {
    current = await create(temp.path);
    // Stopped before the directory is removed.
    temp.track({
      close: () =>
        Promise.all(
          started.splice(0).map(
            (child) =>
              new Promise<void>((resolve) => {
                if (child.exitCode !== null || child.signalCode !== null) return resolve();
                child.on("close", () => resolve());
                if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
              }),
          ),
        ),
    });
  });
  afterEach(() => {
    current = undefined;
  });

  return () => {
    if (current === undefined) throw new Error("useProject: the project exists only while a test runs.");
    return current;
  };
}
