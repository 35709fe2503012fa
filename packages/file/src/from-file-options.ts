import type { CachedOptions, OnceKeyEventListener } from "@oncekey/core";
import type { FilePermissions } from "./read/check-permissions.js";
import type { FileWatchMode } from "./watch/choose-watch-mode.js";

/**
 * Options of {@link fromFile}: only `path` is required.
 *
 * @example
 * ```ts
 * const options: FromFileOptions = {
 *   path: "/etc/oncehub/tenants/{tenant}",
 *   permissions: "refuse",
 *   watchMode: "poll", // Docker Desktop bind mount: no change events arrive
 *   cache: { maxTenants: 50_000 },
 *   onEvent: (event) => event.type === "key:warning" && logger.warn(event.message),
 * };
 * const keys = fromFile(options);
 * ```
 */
export interface FromFileOptions {
  /**
   * The key file: the key alone, one trailing newline allowed. Relative paths are taken from the working
   * directory. `{tenant}` in the path makes one file per tenant (`/run/secrets/oncehub/{tenant}`); a tenant's file
   * can never be outside the directory that holds `{tenant}`, links resolved.
   */
  readonly path: string;
  /**
   * Follow the file as it changes (Kubernetes secret updates, Docker secrets rewritten, editors, rotation
   * scripts), so the next `getKey` serves the new key without waiting for OnceHub to reject the old one.
   * @defaultValue `true`
   */
  readonly watch?: boolean;
  /**
   * How changes are noticed: `"fs"` (`fs.watch` on the file's directory), `"poll"` (a `stat` every
   * `pollIntervalMs`, for file systems that send no change events, such as Docker Desktop bind mounts or NFS), or
   * `"auto"`: `fs.watch`, but polling on file systems known to send no events and wherever `fs.watch` fails.
   * @defaultValue `"auto"`
   */
  readonly watchMode?: FileWatchMode;
  /**
   * How often a polled file is `stat`ed, in milliseconds.
   * @defaultValue `1000`
   */
  readonly pollIntervalMs?: number;
  /**
   * The quiet time, in milliseconds, after the last change event before the files concerned are looked at; a file
   * written without pause is looked at no later than ten times this after the first event.
   * @defaultValue `100`
   */
  readonly debounceMs?: number;
  /**
   * A file whose content changed less than this long ago is read again before it is trusted, so a file being
   * rewritten in place (truncated, then written) is never served empty or half written; `0` trusts every read.
   * @defaultValue `50`
   */
  readonly settleMs?: number;
  /**
   * How long a key file that served a key and then went missing, empty or broken is taken for a rewrite in
   * progress, in milliseconds: meanwhile the last good key is served (`key:stale` events); after it, the removal
   * (`KEY_NOT_FOUND`) or the error (`KEY_FORMAT`) stands. `0` reports it at once. The same as `fromDotenv`'s.
   * @defaultValue `5000`
   */
  readonly rewriteGraceMs?: number;
  /**
   * What to do with a key file that its group or others may read: `"refuse"` (a `KeySourceError`, before the
   * file is opened), `"warn"` (a `key:warning` event with code `FILE_PERMISSIONS`, once per file) or
   * `"ignore"`. Warning is the default because Kubernetes (0644) and Docker (0444) mount secrets that way.
   * @defaultValue `"warn"`
   */
  readonly permissions?: FilePermissions;
  /**
   * The largest key file read, in bytes; a larger one is a `KeyFormatError` without being read.
   * @defaultValue `4096`
   */
  readonly maxBytes?: number;
  /** Receives `key:loaded`, `key:rotated`, `key:stale` … and this source's `key:warning` events. */
  readonly onEvent?: OnceKeyEventListener;
  /** Options of the cache around the file (`maxTenants`, `ttlMs`, `staleIfErrorMs` …). */
  readonly cache?: Omit<CachedOptions, "onEvent">;
}

/** {@link FromFileOptions} with every default filled in and checked. */
export interface FromFileSettings {
  readonly watch: boolean;
  readonly watchMode: FileWatchMode;
  readonly pollIntervalMs: number;
  readonly debounceMs: number;
  readonly settleMs: number;
  readonly rewriteGraceMs: number;
  readonly permissions: FilePermissions;
  readonly maxBytes: number;
  /** The most files whose bookkeeping is kept: the cache's tenant bound. */
  readonly maxFiles: number;
}

const WATCH_MODES: readonly FileWatchMode[] = ["auto", "fs", "poll"];
const PERMISSIONS: readonly FilePermissions[] = ["refuse", "warn", "ignore"];
const MAX_BYTES_LIMIT = 1_048_576;

/**
 * Fills in the defaults of {@link FromFileOptions} and checks every option at once, so a mistake fails at start-up.
 *
 * @throws TypeError or RangeError naming the option.
 */
export function fromFileSettings(options: FromFileOptions): FromFileSettings {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      'fromFile: pass options with the key file\'s path, e.g. { path: "/run/secrets/oncehub" }.',
    );
  }
  const watch = options.watch ?? true;
  if (typeof watch !== "boolean") throw new TypeError("fromFile: watch must be true or false.");
  const cache: unknown = options.cache;
  if (cache !== undefined && (typeof cache !== "object" || cache === null)) {
    throw new TypeError("fromFile: cache must be an object of cached's options.");
  }
  return {
    watch,
    watchMode: oneOf(options.watchMode ?? "auto", WATCH_MODES, "watchMode"),
    pollIntervalMs: milliseconds(options.pollIntervalMs ?? 1_000, "pollIntervalMs", 1),
    debounceMs: milliseconds(options.debounceMs ?? 100, "debounceMs", 0),
    settleMs: milliseconds(options.settleMs ?? 50, "settleMs", 0),
    rewriteGraceMs: milliseconds(options.rewriteGraceMs ?? 5_000, "rewriteGraceMs", 0),
    permissions: oneOf(options.permissions ?? "warn", PERMISSIONS, "permissions"),
    maxBytes: maxBytes(options.maxBytes ?? 4_096),
    maxFiles: options.cache?.maxTenants ?? 10_000,
  };
}

function oneOf<T extends string>(value: T, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value)) {
    throw new TypeError(`fromFile: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}.`);
  }
  return value;
}

/** The longest a Node.js timer can wait; a longer delay would fire after 1 ms instead. */
const MAX_TIMER_MS = 2_147_483_647;

function milliseconds(value: number, name: string, min: number): number {
  if (typeof value !== "number" || !(value >= min && value <= MAX_TIMER_MS)) {
    throw new RangeError(
      `fromFile: ${name} must be a number of milliseconds from ${min} to ${MAX_TIMER_MS}.`,
    );
  }
  return value;
}

function maxBytes(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_BYTES_LIMIT) {
    throw new RangeError(`fromFile: maxBytes must be an integer from 1 to ${MAX_BYTES_LIMIT}.`);
  }
  return value;
}
