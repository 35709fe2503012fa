import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { EventHub } from "@oncekey/core/source";
import type { DotenvPath } from "./dotenv-files.js";

const GIT_TIMEOUT_MS = 3_000;
const MAX_DEPTH = 64;

/**
 * Warns, once per file, that a `.env` file holding a key is tracked by git (a `key:warning` with code
 * `TRACKED_BY_GIT`), so the key is in the repository.
 *
 * The check runs in the background and only where a `.git` is found above the file, so `getKey` never waits for
 * it; a missing `git` binary or a slow repository simply means no warning. Every check it starts settles into a
 * handled promise, and `close()` stops them.
 */
export class GitTrackingWarning {
  readonly #events: EventHub;
  readonly #checked = new Set<string>();
  readonly #pending = new Set<Promise<void>>();
  readonly #abort = new AbortController();

  constructor(events: EventHub) {
    this.#events = events;
  }

  /** Checks, in the background and once per file, whether a file a key was read from is tracked by git. */
  inspect(path: DotenvPath): void {
    if (this.#checked.has(path.absolute) || this.#abort.signal.aborted) return;
    this.#checked.add(path.absolute);
    const check: Promise<void> = this.#check(path)
      .catch(() => undefined)
      .finally(() => this.#pending.delete(check));
    this.#pending.add(check);
  }

  /** Stops running checks and waits for them. */
  async close(): Promise<void> {
    this.#abort.abort();
    await Promise.all(this.#pending);
  }

  async #check(path: DotenvPath): Promise<void> {
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
      this.#events.emit({
        type: "key:warning",
        time: Date.now(),
        source: `dotenv:${path.display}`,
        code: "TRACKED_BY_GIT",
        message:
          `${capitalized(path.spoken)} holds an API key and is tracked by git, so the key is in the repository. ` +
          `Run git rm --cached ${path.value.quoted ? path.value.value : "<the file>"}, add it to .gitignore, and ` +
          "rotate the key.",
      });
    }
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

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
