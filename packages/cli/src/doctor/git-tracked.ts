import { execFile } from "node:child_process";
import { basename, dirname } from "node:path";

const GIT_TIMEOUT_MS = 5_000;

/**
 * Asks git whether `path` is tracked in the repository it lies in.
 *
 * @param path - An absolute file path.
 * @returns `true` when tracked, `false` when not (or outside any repository), `undefined` when git could not
 *   answer (not installed, timed out): no git is no warning.
 * @example
 * ```ts
 * if (await isTrackedByGit("/srv/app/.env")) console.warn(".env is in the repository");
 * ```
 */
export function isTrackedByGit(path: string): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    execFile(
      "git",
      // core.fsmonitor in a repository's config is a command git would run: the repository is not ours to trust.
      ["-c", "core.fsmonitor=false", "ls-files", "--error-unmatch", "--", basename(path)],
      { cwd: dirname(path), timeout: GIT_TIMEOUT_MS, windowsHide: true },
      (error) => {
        if (error === null) return resolve(true);
        // A number is git's exit code (1: not tracked, 128: not a repository); anything else is git missing.
        resolve(typeof error.code === "number" && !error.killed ? false : undefined);
      },
    );
  });
}
