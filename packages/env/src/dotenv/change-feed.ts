import { basename, dirname } from "node:path";
import { WatchedDirectory, type FileWatchMode, type KeyChangeListener } from "@oncekey/core/source";
import type { DotenvFiles, DotenvPath } from "./dotenv-files.js";
import type { ServedVariables } from "./served-variables.js";

/** Timings of a {@link ChangeFeed}. */
export interface ChangeFeedOptions {
  readonly watchMode: FileWatchMode;
  readonly debounceMs: number;
  readonly pollIntervalMs: number;
  /** How long a key that vanished or broke right after a change is taken for a rewrite in progress. */
  readonly graceMs: number;
  /** A directory cannot be watched with `fs.watch`: only polled, or not followed when polling is off. */
  readonly onFallback: (path: DotenvPath, reason: string) => void;
}

/**
 * Tells subscribers (the cache) which tenants' keys changed in the `.env` files. Watches the files' directories
 * (core's `WatchedDirectory`: debounced, polling where `fs.watch` sees nothing, following a replaced directory)
 * while someone listens; announces a key only when the value served for it changed, and holds back a key that
 * vanished or broke until the files settle or `graceMs` passes: a file being rewritten must not look like a removed
 * key.
 */
export class ChangeFeed {
  readonly #files: DotenvFiles;
  readonly #served: ServedVariables;
  readonly #options: ChangeFeedOptions;
  readonly #listeners = new Set<KeyChangeListener>();
  #directories: WatchedDirectory<DotenvPath>[] | undefined;
  #recheck: NodeJS.Timeout | undefined;
  /** The content last found settled: nothing to do while the files still hold it. */
  #settledHash: string | undefined;
  #checking = false;
  #checkAgain = false;

  constructor(files: DotenvFiles, served: ServedVariables, options: ChangeFeedOptions) {
    this.#files = files;
    this.#served = served;
    this.#options = options;
  }

  /** Adds a listener; the first one starts watching. Returns the unsubscribe function. */
  subscribe(listener: KeyChangeListener): () => void {
    this.#listeners.add(listener);
    this.#directories ??= this.#watch();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.close();
    };
  }

  /** Stops watching and drops every listener. */
  close(): void {
    this.#listeners.clear();
    for (const directory of this.#directories ?? []) directory.close();
    this.#directories = undefined;
    if (this.#recheck !== undefined) clearTimeout(this.#recheck);
    this.#recheck = undefined;
  }

  #watch(): WatchedDirectory<DotenvPath>[] {
    const byDirectory = new Map<string, DotenvPath[]>();
    for (const path of this.#files.paths) {
      const directory = dirname(path.absolute);
      byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), path]);
    }
    return [...byDirectory].map(([directory, paths]) => {
      const watched = new WatchedDirectory<DotenvPath>(directory, {
        mode: this.#options.watchMode,
        pollIntervalMs: this.#options.pollIntervalMs,
        debounceMs: this.#options.debounceMs,
        // The files are read together (precedence runs across them), so any change means one look at all.
        check: () => this.#check(),
        onFallback: (reason) => this.#options.onFallback(paths[0] as DotenvPath, reason),
      });
      for (const path of paths) watched.files.set(basename(path.absolute), path);
      void watched.start();
      return watched;
    });
  }

  async #check(): Promise<void> {
    if (this.#checking) {
      this.#checkAgain = true;
      return;
    }
    this.#checking = true;
    try {
      do {
        this.#checkAgain = false;
        await this.#checkOnce();
      } while (this.#checkAgain && this.#directories !== undefined);
    } finally {
      this.#checking = false;
    }
  }

  async #checkOnce(): Promise<void> {
    let snapshot;
    try {
      snapshot = await this.#files.read();
    } catch {
      // An unreadable file is reported by getKey when asked; the cache keeps the key it holds meanwhile.
      return;
    }
    if (snapshot.hash === this.#settledHash || this.#directories === undefined) return;
    const now = Date.now();
    const { changed, unsettled } = this.#served.changesIn(snapshot, now, this.#options.graceMs);
    if (unsettled) {
      this.#scheduleRecheck(snapshot.since + this.#options.graceMs - now);
    } else {
      this.#settledHash = snapshot.hash;
    }
    if (changed.length > 0) this.#announce(changed);
  }

  #scheduleRecheck(delayMs: number): void {
    if (this.#recheck !== undefined) clearTimeout(this.#recheck);
    this.#recheck = setTimeout(
      () => {
        this.#recheck = undefined;
        this.#check().catch(() => undefined);
      },
      Math.max(0, delayMs) + 10,
    );
    this.#recheck.unref();
  }

  #announce(tenants: readonly (string | undefined)[]): void {
    const changes: { readonly tenant?: string }[] = tenants.includes(undefined)
      ? [{}]
      : tenants.map((tenant) => ({ tenant: tenant as string }));
    for (const listener of [...this.#listeners]) {
      for (const change of changes) {
        try {
          listener(change);
        } catch {
          // A listener must not stop the others.
        }
      }
    }
  }
}
