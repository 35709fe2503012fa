import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { KeySourceError, type OnceKeyEventListener } from "@oncekey/core";
import { emitEvent } from "@oncekey/core/source";
import type { DotenvPath } from "./dotenv-files.js";

/**
 * What `fromDotenv` does when the file holding the key is readable by group or others: warn once (a
 * `key:warning` event with code `FILE_PERMISSIONS`), refuse it (`KeySourceError`), or say nothing. The same type
 * and values as `@oncekey/file`'s `FilePermissions`.
 *
 * @example
 * ```ts
 * const keys = fromDotenv({ permissions: process.env.NODE_ENV === "production" ? "refuse" : "warn" });
 * ```
 */
export type FilePermissions = "warn" | "refuse" | "ignore";

/** Options of {@link ExposureWarnings}. */
export interface ExposureWarningsOptions {
  readonly permissions: FilePermissions;
  readonly checkGit: boolean;
  readonly onEvent: OnceKeyEventListener | undefined;
}

const GIT_TIMEOUT_MS = 3_000;
const MAX_DEPTH = 64;

/**
 * Warns, once per file, that a `.env` file holding a key is readable by group or others, or tracked by git.
 *
 * The git check runs in the background and only where a `.git` is found above the file, so `getKey` never waits
 * for it; a missing `git` binary or a slow repository simply means no warning.
 */
export class ExposureWarnings {
  readonly #options: ExposureWarningsOptions;
  readonly #warnedPermissions = new Set<string>();
  readonly #checkedGit = new Set<string>();
  readonly #pending = new Set<Promise<void>>();
  readonly #abort = new AbortController();

  constructor(options: ExposureWarningsOptions) {
    this.#options = options;
  }

  /**
   * Checks a file a key was read from.
   *
   * @throws {@link KeySourceError} when the file is readable by group or others and the policy is `refuse`.
   */
  inspect(path: DotenvPath, mode: number): void {
    const loose = process.platform !== "win32" && (mode & 0o044) !== 0;
    const source = `dotenv:${path.display}`;
    const octal = (mode & 0o777).toString(8).padStart(4, "0");
    if (loose && this.#options.permissions === "refuse") {
      throw new KeySourceError(
        `${path.display} holds an API key but is readable by group or others (mode ${octal}). ` +
          `Run chmod 600 ${path.display}, or allow it with permissions: "warn".`,
        { source },
      );
    }
    if (loose && this.#options.permissions === "warn" && !this.#warnedPermissions.has(path.absolute)) {
      this.#warnedPermissions.add(path.absolute);
      this.#warn(
        source,
        "FILE_PERMISSIONS",
        `${path.display} holds an API key but is readable by group or others (mode ${octal}). ` +
          `Run chmod 600 ${path.display}.`,
      );
    }
    if (this.#options.checkGit && !this.#checkedGit.has(path.absolute)) {
      this.#checkedGit.add(path.absolute);
      const check = this.#checkGit(path, source).finally(() => this.#pending.delete(check));
      this.#pending.add(check);
    }
  }

  /** Stops running git checks and waits for them. */
  async close(): Promise<void> {
    this.#abort.abort();
    await Promise.all(this.#pending);
  }

  async #checkGit(path: DotenvPath, source: string): Promise<void> {
    const directory = dirname(path.absolute);
    if (!(await hasGitAbove(directory))) return;
    const tracked = await new Promise<boolean>((resolve) => {
      execFile(
        "git",
        // core.fsmonitor in a repository's config is a command git would run: the repository is not ours to trust.
        ["-c", "core.fsmonitor=false", "ls-files", "--error-unmatch", "--", basename(path.absolute)],
        { cwd: directory, timeout: GIT_TIMEOUT_MS, signal: this.#abort.signal, windowsHide: true },
        (error) => resolve(error === null),
      );
    });
    if (tracked && !this.#abort.signal.aborted) {
      this.#warn(
        source,
        "TRACKED_BY_GIT",
        `${path.display} holds an API key and is tracked by git, so the key is in the repository. ` +
          `Run git rm --cached ${path.display}, add it to .gitignore, and rotate the key.`,
      );
    }
  }

  #warn(source: string, code: string, message: string): void {
    emitEvent({ type: "key:warning", time: Date.now(), source, code, message }, this.#options.onEvent);
  }
}

async function hasGitAbove(start: string): Promise<boolean> {
  let directory = start;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    try {
      await stat(join(directory, ".git"));
      return true;
    } catch {
      const parent = dirname(directory);
      if (parent === directory) return false;
      directory = parent;
    }
  }
  return false;
}
