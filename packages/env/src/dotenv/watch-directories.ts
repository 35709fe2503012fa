import { watch, type FSWatcher } from "node:fs";

/** Options of {@link watchDirectories}. */
export interface WatchDirectoriesOptions {
  /** Quiet time after the last event before `onChange` runs. */
  readonly debounceMs: number;
  /** How often `onChange` runs anyway; `0` for never. */
  readonly pollIntervalMs: number;
  /**
   * `fs.watch` cannot watch `directory` (an inotify limit, an unsupported file system; not merely an absent
   * directory): only the poll follows it. Called once per directory.
   */
  readonly onFallback?: (directory: string, reason: string) => void;
}

/**
 * Calls `onChange` when something happens in one of `directories`, debounced, and every `pollIntervalMs` as a
 * safety net.
 *
 * The directories are watched rather than the files because editors and tools replace a file by writing a
 * temporary file and renaming it, and Kubernetes swaps a `..data` symlink: a watch on the old file sees neither.
 * Every event counts (the caller compares contents), so a symlink swap under another name is not missed. The
 * poll covers file systems where `fs.watch` sees nothing (network shares, some container mounts) and re-creates
 * a watcher that failed or whose directory appeared later. Nothing here keeps the process alive.
 *
 * @returns A function that stops watching.
 */
export function watchDirectories(
  directories: readonly string[],
  onChange: () => void,
  options: WatchDirectoriesOptions,
): () => void {
  const watchers = new Map<string, FSWatcher>();
  let debounce: NodeJS.Timeout | undefined;
  let firstEventAt = 0;
  let stopped = false;

  const fire = (): void => {
    debounce = undefined;
    if (!stopped) onChange();
  };

  const onEvent = (): void => {
    const now = Date.now();
    if (debounce === undefined) {
      firstEventAt = now;
    } else {
      clearTimeout(debounce);
    }
    // A file written without pause must still be looked at now and then.
    const delay = now - firstEventAt >= options.debounceMs * 10 ? 0 : options.debounceMs;
    debounce = setTimeout(fire, delay);
    debounce.unref();
  };

  const reported = new Set<string>();
  const fallBack = (directory: string, error: unknown): void => {
    const code = (error as NodeJS.ErrnoException).code;
    // An absent directory is looked for again at each poll: nothing to report.
    if (code === "ENOENT" || code === "ENOTDIR" || reported.has(directory) || stopped) return;
    reported.add(directory);
    options.onFallback?.(directory, code ?? "fs.watch failed");
  };

  const ensureWatchers = (): void => {
    for (const directory of directories) {
      if (watchers.has(directory)) continue;
      try {
        const watcher = watch(directory, { persistent: false }, onEvent);
        watcher.on("error", (error) => {
          watcher.close();
          if (watchers.get(directory) === watcher) watchers.delete(directory);
          fallBack(directory, error);
        });
        watchers.set(directory, watcher);
      } catch (error) {
        // No inotify slots left, unsupported file system, absent directory: the poll covers it.
        fallBack(directory, error);
      }
    }
  };

  ensureWatchers();
  const poll =
    options.pollIntervalMs > 0
      ? setInterval(() => {
          ensureWatchers();
          onChange();
        }, options.pollIntervalMs)
      : undefined;
  poll?.unref();

  return () => {
    stopped = true;
    if (debounce !== undefined) clearTimeout(debounce);
    if (poll !== undefined) clearInterval(poll);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}
