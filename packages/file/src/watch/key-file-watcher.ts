import { createHash } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { OnceKeyError } from "@oncekey/core";
import { WatchedDirectory, type FileWatchMode } from "@oncekey/core/source";
import { LRUCache } from "lru-cache";
import { isWithin } from "../path/is-within.js";
import type { KeyFileTarget } from "../path/key-path-template.js";
import { fileSignature } from "../read/read-key-file.js";
import type { SettledRead } from "../read/read-settled-key-file.js";

/** Options of {@link KeyFileWatcher}. */
export interface KeyFileWatcherOptions {
  readonly mode: FileWatchMode;
  readonly pollIntervalMs: number;
  readonly debounceMs: number;
  /** The most files followed; the least recently read is dropped past it, and reported as changed. */
  readonly maxFiles: number;
  /** Reads a file once its content settled, as `getKey` does; throws what `getKey` would. */
  readonly read: (target: KeyFileTarget, signal: AbortSignal) => Promise<SettledRead>;
  /** The content of a file changed (or it became absent or unreadable). */
  readonly onChange: (target: KeyFileTarget) => void;
  /** `fs.watch` failed for a directory, which is polled from now on. */
  readonly onFallback: (target: KeyFileTarget, reason: string) => void;
}

interface FileState {
  readonly target: KeyFileTarget;
  readonly directory: WatchedDirectory<FileState>;
  /** SHA-256 of the content last seen, or `!<error code>`; never the content. */
  digest: string;
  /** The `stat` signature that went with it, to skip reading a file that did not change. */
  signature: string | undefined;
  /** The order of the read that set `digest`. */
  seq: number;
  /** Where the last read found the file, links resolved, and on which device. */
  real: string | undefined;
  dev: bigint | undefined;
  ownWatch: FSWatcher | undefined;
}

const ABSENT = "!KEY_NOT_FOUND";
/** Files checked at once after a directory event; a Kubernetes swap touches every tenant's file together. */
const CONCURRENCY = 16;

/**
 * Follows the key files a provider has read and says when one's content changed.
 *
 * Each file's directory is watched (not the file: Kubernetes replaces the `..data` link beside it, and editors
 * rename a new file over it), once per directory however many tenants' files it holds; files that live elsewhere
 * (a link out, a bind-mounted Docker secret) are watched themselves too. Events are collected for `debounceMs`,
 * then each file concerned is `stat`ed, read only if that changed, and reported only if its content hash changed.
 * Watches start with the first read of a file in a directory and end with `close()`.
 */
export class KeyFileWatcher {
  readonly #options: KeyFileWatcherOptions;
  /** The files followed, the least recently read forgotten first (see {@link KeyFileWatcher.#forget}). */
  readonly #files: LRUCache<string, FileState>;
  readonly #directories = new Map<string, WatchedDirectory<FileState>>();
  readonly #abort = new AbortController();
  #seq = 0;

  constructor(options: KeyFileWatcherOptions) {
    this.#options = options;
    this.#files = new LRUCache<string, FileState>({
      max: options.maxFiles,
      dispose: (state, _path, reason) => {
        if (reason === "evict") this.#forget(state);
      },
    });
  }

  /** Numbers a read about to start, so that a slower, older read never overwrites a newer result. */
  begin(): number {
    return ++this.#seq;
  }

  /** Records what a read started at `seq` found and follows the file from now on. */
  record(target: KeyFileTarget, seq: number, read: SettledRead): void {
    if (this.#abort.signal.aborted) return;
    let state = this.#files.get(target.path);
    if (state === undefined) {
      const directory = this.#directoryOf(target);
      state = {
        target,
        directory,
        digest: "",
        signature: undefined,
        seq: 0,
        real: undefined,
        dev: undefined,
        ownWatch: undefined,
      };
      directory.files.set(basename(target.path), state);
    }
    this.#files.set(target.path, state);
    this.#apply(state, seq, digestOf(read.bytes), read);
    this.#placeOwnWatch(state);
  }

  /** Stops every watch and timer; checks under way end without reporting. */
  close(): void {
    this.#abort.abort();
    for (const directory of this.#directories.values()) this.#closeDirectory(directory);
    this.#directories.clear();
    this.#files.clear();
  }

  /** Stops following a file pushed out by newer ones. */
  #forget(oldest: FileState): void {
    oldest.ownWatch?.close();
    oldest.directory.files.delete(basename(oldest.target.path));
    if (oldest.directory.files.size === 0) {
      this.#closeDirectory(oldest.directory);
      this.#directories.delete(oldest.directory.path);
    }
    // The cache drops tenants by use, this by reads: it may still hold this one's key. Reported as a change, the
    // key is read again at its next use, and the file followed again, so a rotation cannot go unnoticed.
    this.#options.onChange(oldest.target);
  }

  #apply(state: FileState, seq: number, digest: string, read: SettledRead | string | undefined): boolean {
    if (seq < state.seq) return false;
    state.seq = seq;
    if (typeof read === "object") {
      state.signature = read.signature;
      state.real = read.real;
      state.dev = read.dev;
    } else {
      state.signature = read;
    }
    if (digest === state.digest) return false;
    state.digest = digest;
    return true;
  }

  #directoryOf(target: KeyFileTarget): WatchedDirectory<FileState> {
    const path = dirname(target.path);
    let directory = this.#directories.get(path);
    if (directory === undefined) {
      const created = new WatchedDirectory<FileState>(path, {
        mode: this.#options.mode,
        pollIntervalMs: this.#options.pollIntervalMs,
        debounceMs: this.#options.debounceMs,
        check: (files) => forEachLimited(files, CONCURRENCY, (state) => this.#check(state)),
        onFallback: (reason) => this.#options.onFallback(target, reason),
      });
      this.#directories.set(path, created);
      created
        .start()
        .then(() => created.files.forEach((state) => this.#placeOwnWatch(state)))
        .catch(() => undefined);
      directory = created;
    }
    return directory;
  }

  async #check(state: FileState): Promise<void> {
    const signature = await stat(state.target.path, { bigint: true }).then(fileSignature, () => undefined);
    if (this.#abort.signal.aborted) return;
    if (signature === state.signature && (signature !== undefined || state.digest === ABSENT)) {
      this.#placeOwnWatch(state);
      return;
    }
    const seq = this.begin();
    let digest: string;
    let read: SettledRead | undefined;
    try {
      read = await this.#options.read(state.target, this.#abort.signal);
      digest = digestOf(read.bytes);
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      digest = `!${OnceKeyError.is(error) ? error.code : "UNKNOWN"}`;
    }
    if (this.#abort.signal.aborted) return;
    if (this.#apply(state, seq, digest, read ?? signature)) this.#options.onChange(state.target);
    this.#placeOwnWatch(state);
  }

  /**
   * Watches a file itself when its directory's events miss it: it lives elsewhere (a link out of the directory)
   * or on another device (a bind-mounted Docker secret). Kubernetes' `..data/<file>` stays inside, so needs none.
   */
  #placeOwnWatch(state: FileState): void {
    const directory = state.directory;
    if (state.ownWatch !== undefined || !directory.evented || this.#abort.signal.aborted) return;
    if (state.real === undefined || directory.dev === undefined) return;
    if (isWithin(state.real, directory.real) && state.dev === directory.dev) return;
    try {
      const own = watch(state.target.path, { persistent: false }, (type) => {
        // The file was replaced or removed: the watch still points at the old one, so place it again later.
        if (type === "rename") this.#dropOwnWatch(state, own);
        directory.schedule(state);
      });
      own.on("error", () => this.#dropOwnWatch(state, own));
      state.ownWatch = own;
    } catch {
      // The file is gone for now; its directory's events and the next check will place the watch again.
    }
  }

  #dropOwnWatch(state: FileState, own: FSWatcher): void {
    own.close();
    if (state.ownWatch === own) state.ownWatch = undefined;
  }

  #closeDirectory(directory: WatchedDirectory<FileState>): void {
    directory.close();
    for (const state of directory.files.values()) state.ownWatch?.close();
  }
}

function digestOf(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("base64");
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
