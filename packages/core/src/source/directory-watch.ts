import { watch, type FSWatcher } from "node:fs";

/** Options of {@link DirectoryWatch}. */
export interface DirectoryWatchOptions {
  readonly mode: "fs" | "poll";
  /** How often a polled directory is looked at; `0` for never (changes are then followed by events only). */
  readonly pollIntervalMs: number;
  /** Something in the directory changed: the entry's name when known. */
  readonly onEvent: (name: string | undefined) => void;
  /** The poll's time to look at every file has come. */
  readonly onPoll: () => void;
  /** `fs.watch` could not be used, or failed later; the watch polls from now on. */
  readonly onFallback: (reason: string) => void;
}

/** How often a directory that is gone is looked for when the files are not polled (`pollIntervalMs` 0). */
const ABSENT_RETRY_MS = 1_000;

/**
 * Watches one directory with `fs.watch` (non-recursive: Kubernetes swaps `..data` right there) or, when asked or
 * when `fs.watch` fails (inotify limits, unsupported file systems), with a timer that lets the owner `stat` its
 * files. A directory that is absent is polled until it is back, then watched again, without a fallback report.
 * Neither keeps the process alive; `close()` releases both. Internal to `WatchedDirectory`.
 */
export class DirectoryWatch {
  readonly #directory: string;
  readonly #options: DirectoryWatchOptions;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(directory: string, options: DirectoryWatchOptions) {
    this.#directory = directory;
    this.#options = options;
    if (options.mode === "poll") this.#poll();
    else this.#watch();
  }

  /** Whether changes are found by polling. */
  get polling(): boolean {
    return this.#timer !== undefined;
  }

  /** Watches the directory again, e.g. after it was replaced; a polling watch stays as it is. */
  rewatch(): void {
    if (this.#closed || this.polling) return;
    this.#watcher?.close();
    this.#watch();
  }

  close(): void {
    this.#closed = true;
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #watch(): void {
    const error = this.#start();
    if (error !== undefined) this.#fallBack(error);
  }

  /** Starts `fs.watch`; returns what it threw, if it could not. */
  #start(): unknown {
    try {
      this.#watcher = watch(this.#directory, { persistent: false }, (_type, name) => {
        this.#options.onEvent(typeof name === "string" ? name : undefined);
      });
    } catch (error) {
      return error ?? new Error("fs.watch failed");
    }
    this.#watcher.on("error", (error) => this.#fallBack(error));
    return undefined;
  }

  #fallBack(error: unknown): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#closed) return;
    const code = (error as NodeJS.ErrnoException).code;
    // A directory that is gone (removed, being replaced) is no reason to give up events: poll until it is back.
    const absent = code === "ENOENT" || code === "ENOTDIR";
    if (this.#timer === undefined) this.#poll(absent);
    if (!absent) this.#options.onFallback(code ?? "fs.watch failed");
    // Whatever happened while the watch was failing is found by looking once now.
    this.#options.onPoll();
  }

  /**
   * Polls the files every `pollIntervalMs`; `untilBack`, for an absent directory, also tries to watch it again and
   * stops once it can. With `pollIntervalMs` 0 (no polling) an absent directory is still looked for, every
   * {@link ABSENT_RETRY_MS}, and looked into once when it is back.
   */
  #poll(untilBack = false): void {
    const every = this.#options.pollIntervalMs;
    if (every === 0 && !untilBack) return;
    const timer = setInterval(
      () => {
        const back = untilBack && this.#start() === undefined;
        if (back) {
          clearInterval(timer);
          if (this.#timer === timer) this.#timer = undefined;
        }
        if (every !== 0 || back) this.#options.onPoll();
      },
      every === 0 ? ABSENT_RETRY_MS : every,
    );
    timer.unref();
    this.#timer = timer;
  }
}
