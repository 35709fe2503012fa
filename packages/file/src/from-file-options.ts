import type { CachedOptions, OnceKeyEventListener } from "@oncekey/core";
import {
  booleanOption,
  choiceOption,
  FILE_PERMISSIONS,
  FILE_WATCH_MODES,
  numberOption,
  type FilePermissions,
  type FileWatchMode,
} from "@oncekey/core/source";

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
  /**
   * For a provider built from configuration: the configuration variables that gave `path` and `permissions`, so
   * messages tell to fix those (`ONCEKEY_FILE_PATH`) and show them where the path is not repeated
   * (`file:<ONCEKEY_FILE_PATH>`). `fileSource` passes them; code leaves this out.
   * @defaultValue none: the values are options passed in code
   */
  readonly configuredBy?: {
    /** The configuration variable that gave `path`, e.g. `ONCEKEY_FILE_PATH`. */
    readonly path?: string;
    /** The configuration variable that gave `permissions`, e.g. `ONCEKEY_FILE_PERMISSIONS`. */
    readonly permissions?: string;
  };
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

/** The options of `fromFile` besides those every key source takes. */
export const FROM_FILE_OPTIONS = [
  "path",
  "watch",
  "watchMode",
  "pollIntervalMs",
  "debounceMs",
  "settleMs",
  "rewriteGraceMs",
  "permissions",
  "maxBytes",
] as const;

const MAX_BYTES_LIMIT = 1_048_576;

/**
 * Fills in the defaults of {@link FromFileOptions} and checks every value at once (the names were checked by
 * `checkSourceOptions`), so a mistake fails at start-up.
 *
 * @throws `ConfigError` naming the option.
 */
export function fromFileSettings(options: FromFileOptions): FromFileSettings {
  const where = "fromFile";
  const ms = (name: string, fallback: number, min = 0): number =>
    numberOption(options[name as keyof FromFileOptions], name, fallback, { min, unit: "ms" }, where);
  return {
    watch: booleanOption(options.watch, "watch", true, where),
    watchMode: choiceOption(options.watchMode, "watchMode", FILE_WATCH_MODES, "auto", where),
    pollIntervalMs: ms("pollIntervalMs", 1_000, 1),
    debounceMs: ms("debounceMs", 100),
    settleMs: ms("settleMs", 50),
    rewriteGraceMs: ms("rewriteGraceMs", 5_000),
    permissions: choiceOption(options.permissions, "permissions", FILE_PERMISSIONS, "warn", where),
    maxBytes: numberOption(
      options.maxBytes,
      "maxBytes",
      4_096,
      { min: 1, max: MAX_BYTES_LIMIT, integer: true, unit: "bytes" },
      where,
    ),
    // Checked with the rest of the cache's options by checkSourceOptions.
    maxFiles: options.cache?.maxTenants ?? 10_000,
  };
}
