import { realpath, stat } from "node:fs/promises";
import { DirectoryWatch } from "./directory-watch.js";
import { chooseWatchMode, type FileWatchMode } from "./file-watch-mode.js";

/**
 * Options of {@link WatchedDirectory}.
 *
 * @example
 * ```ts
 * const options: WatchedDirectoryOptions<string> = {
 *   mode: "auto",
 *   pollIntervalMs: 1_000,
 *   debounceMs: 100,
 *   check: async (names) => { for (const name of names) await reread(name); },
 *   onFallback: (reason) => fallback.report({ directory, source }, reason),
 * };
 * ```
 */
export interface WatchedDirectoryOptions<F> {
  /** How to follow the directory: by `fs.watch` events, by polling, or `auto` (see {@link FileWatchMode}). */
  readonly mode: FileWatchMode;
  /** How often a polled directory's files are looked at; `0` for never. */
  readonly pollIntervalMs: number;
  /** Quiet time after the last event before the files are looked at. */
  readonly debounceMs: number;
  /** Looks at files that may have changed; called for one directory at a time, never twice at once. */
  readonly check: (files: readonly F[]) => Promise<void>;
  /**
   * `fs.watch` failed (an inotify limit, an unsupported file system), or the file system sends no events and
   * `pollIntervalMs` is `0`: the directory is polled from now on, or not followed at all.
   */
  readonly onFallback: (reason: string) => void;
}

/**
 * One directory holding followed key files, by name: its watch, and the debounce that turns a burst of events
 * (the kubelet's five steps of a `..data` swap, an editor's save, a script writing for a while) into one look at
 * the files concerned.
 *
 * The directory is watched rather than the files because editors and tools replace a file by writing a new one
 * and renaming it over, and Kubernetes swaps a `..data` link beside it: a watch on the old file sees neither. On
 * file systems that send no change events (NFS, SMB, Docker Desktop's FUSE mounts, WSL's 9p) and wherever
 * `fs.watch` fails, the directory is polled instead; a directory that is removed is polled until it is back, and
 * one replaced by another (renamed over) is watched anew. Nothing here keeps the process alive, and nothing it
 * starts can reject unhandled; `close()` releases every watch and timer.
 *
 * @example
 * ```ts
 * const directory = new WatchedDirectory<string>("/run/secrets", {
 *   mode: "auto",
 *   pollIntervalMs: 1_000,
 *   debounceMs: 100,
 *   check: async (files) => { for (const name of files) await lookAt(name); },
 *   onFallback: (reason) => warnOnce(reason),
 * });
 * directory.files.set("oncehub_api_key", "oncehub_api_key");
 * await directory.start();
 * // … directory.close();
 * ```
 */
export class WatchedDirectory<F> {
  /** The directory as given, links not resolved. */
  readonly path: string;
  /** The followed files, by name. */
  readonly files = new Map<string, F>();
  /** The directory, links resolved, and its device: a file elsewhere needs a watch of its own. */
  real: string;
  /** The device id of the directory (`stat`'s `dev`); undefined before `start()` or while the directory is missing. */
  dev: bigint | undefined;
  readonly #options: WatchedDirectoryOptions<F>;
  #watch: DirectoryWatch | undefined;
  #ino: bigint | undefined;
  #pending: Set<F> | "all" = new Set();
  #timer: NodeJS.Timeout | undefined;
  #firstEventAt = 0;
  #running = false;
  #rerun = false;
  #closed = false;

  constructor(path: string, options: WatchedDirectoryOptions<F>) {
    this.path = path;
    this.real = path;
    this.#options = options;
  }

  /** Whether changes arrive as events (so a file elsewhere needs its own watch); false while starting or polling. */
  get evented(): boolean {
    return this.#watch !== undefined && !this.#watch.polling;
  }

  /** Starts watching, by events or by polling as the mode and the file system allow. Never rejects. */
  async start(): Promise<void> {
    try {
      await this.#start();
    } catch {
      // Every step below settles on its own; this is the guard for what cannot be foreseen.
    }
  }

  async #start(): Promise<void> {
    const [mode, stats, real] = await Promise.all([
      chooseWatchMode(this.path, this.#options.mode),
      stat(this.path, { bigint: true }).catch(() => undefined),
      realpath(this.path).catch(() => this.path),
    ]);
    if (this.#closed) return;
    this.real = real;
    this.dev = stats?.dev;
    this.#ino = stats?.ino;
    this.#watch = new DirectoryWatch(this.path, {
      mode,
      pollIntervalMs: this.#options.pollIntervalMs,
      onEvent: (name) => this.#onEvent(name),
      // A poll is no burst of events: it must not hold back a look that is already due.
      onPoll: () => this.schedule("all", false),
      onFallback: this.#options.onFallback,
    });
    if (mode === "poll" && this.#options.pollIntervalMs === 0) {
      this.#options.onFallback("this file system sends no change events");
    }
    // A change between the first read and the watch would otherwise go unseen.
    this.schedule("all");
  }

  /**
   * Looks at `what` (a file, or every file) once no event came for `debounceMs`, and at the latest ten times that
   * after the first, so that a file written without pause is still looked at. `quiet: false` joins the look that
   * is due without putting it off.
   */
  schedule(what: F | "all", quiet = true): void {
    if (this.#closed) return;
    if (what === "all") this.#pending = "all";
    else if (this.#pending !== "all") this.#pending.add(what);
    const now = Date.now();
    if (this.#timer === undefined) {
      this.#firstEventAt = now;
    } else if (quiet) {
      clearTimeout(this.#timer);
    } else {
      return;
    }
    const delay = now - this.#firstEventAt >= this.#options.debounceMs * 10 ? 0 : this.#options.debounceMs;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush().catch(() => undefined);
    }, delay);
    this.#timer.unref();
  }

  /** Stops following the directory: releases its watch and timer; no new look starts (one running finishes). */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watch?.close();
  }

  #onEvent(name: string | undefined): void {
    // Kubernetes' `..data` swap, a temporary file, an unnamed event: any followed file may be concerned.
    const file = name === undefined || name.startsWith("..") ? undefined : this.files.get(name);
    this.schedule(file ?? "all");
  }

  async #flush(): Promise<void> {
    if (this.#running) {
      this.#rerun = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#rerun = false;
        const pending = this.#pending;
        this.#pending = new Set();
        if (pending === "all") await this.#followReplacement();
        await this.#options
          .check(pending === "all" ? [...this.files.values()] : [...pending])
          .catch(() => undefined);
      } while (this.#rerun && !this.#closed);
    } finally {
      this.#running = false;
    }
  }

  /**
   * Watches the directory again when it was replaced (a tenant's directory renamed over the old one); one that is
   * gone is polled until it comes back, as no event would say so.
   */
  async #followReplacement(): Promise<void> {
    const stats = await stat(this.path, { bigint: true }).catch(() => undefined);
    if (this.#closed) return;
    if (stats === undefined || (this.#ino !== undefined && stats.ino !== this.#ino)) this.#watch?.rewatch();
    if (stats === undefined) return;
    this.#ino = stats.ino;
    this.dev = stats.dev;
  }
}
