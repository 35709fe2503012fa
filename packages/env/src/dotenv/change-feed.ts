import { dirname } from "node:path";
import type { KeyChangeListener } from "@oncekey/core/source";
import type { DotenvFiles } from "./dotenv-files.js";
import type { ServedVariables } from "./served-variables.js";
import { watchDirectories } from "./watch-directories.js";

/** Timings of a {@link ChangeFeed}. */
export interface ChangeFeedOptions {
  readonly debounceMs: number;
  readonly pollIntervalMs: number;
  /** How long a key that vanished or broke right after a change is taken for a rewrite in progress. */
  readonly graceMs: number;
  /** A directory cannot be watched with `fs.watch`, only polled. */
  readonly onFallback?: (directory: string, reason: string) => void;
}

/**
 * Tells subscribers (the cache) which tenants' keys changed in the `.env` files. Watches while someone listens;
 * announces a key only when the value served for it changed, and holds back a key that vanished or broke until
 * the files settle or `graceMs` passes: a file being rewritten must not look like a removed key.
 */
export class ChangeFeed {
  readonly #files: DotenvFiles;
  readonly #served: ServedVariables;
  readonly #options: ChangeFeedOptions;
  readonly #listeners = new Set<KeyChangeListener>();
  #stopWatching: (() => void) | undefined;
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
    if (this.#stopWatching === undefined) {
      const directories = [...new Set(this.#files.paths.map((p) => dirname(p.absolute)))];
      this.#stopWatching = watchDirectories(directories, () => void this.#check(), this.#options);
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.close();
    };
  }

  /** Stops watching and drops every listener. */
  close(): void {
    this.#listeners.clear();
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    if (this.#recheck !== undefined) clearTimeout(this.#recheck);
    this.#recheck = undefined;
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
      } while (this.#checkAgain && this.#stopWatching !== undefined);
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
    if (snapshot.hash === this.#settledHash || this.#stopWatching === undefined) return;
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
        void this.#check();
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
