import type { CachedOptions, OnceKeyEventListener } from "@oncekey/core";
import type { FilePermissions, FileWatchMode } from "@oncekey/core/source";
import type { TenantToVariable } from "../names/variable-template.js";

/**
 * Options of `fromDotenv`; every field is optional.
 *
 * @example
 * ```ts
 * const options: FromDotenvOptions = { path: ["/etc/myapp/oncehub.env"], permissions: "refuse", checkGit: false };
 * const keys = fromDotenv(options);
 * ```
 */
export interface FromDotenvOptions {
  /**
   * The `.env` file, or several in precedence order: the first file that defines the variable wins, even with a
   * bad value (a configured but broken key never falls through to a later file). Absent files are skipped.
   * Relative paths are resolved against the working directory when the provider is made. `{tenant}` is not
   * allowed here: put it in `variable`.
   * @defaultValue `".env"`
   */
  readonly path?: string | readonly string[];
  /**
   * The variable in the file that holds the key; `{tenant}` makes it per tenant, mapped as in `fromEnv`
   * (`ONCEHUB_API_KEY_{tenant}` and tenant `acme-eu` read `ONCEHUB_API_KEY_ACME_EU`).
   * @defaultValue `"ONCEHUB_API_KEY"`
   */
  readonly variable?: string;
  /**
   * Maps a tenant id to its variable instead of the default mapping; see `fromEnv`.
   * @defaultValue upper case and `-` to `_`, for tenant ids of lower-case letters, digits and `-` only
   */
  readonly tenantToVariable?: TenantToVariable;
  /**
   * Follow changes to the files, so a rewritten key is served without waiting for OnceHub to reject the old one.
   * @defaultValue `true`
   */
  readonly watch?: boolean;
  /**
   * How changes are noticed, as in `fromFile`: `"fs"` (`fs.watch` on the files' directories), `"poll"` (a look every
   * `pollIntervalMs`, for file systems that send no change events, such as Docker Desktop bind mounts or NFS), or
   * `"auto"`: `fs.watch`, but polling on file systems known to send no events and wherever `fs.watch` fails.
   * @defaultValue `"auto"`
   */
  readonly watchMode?: FileWatchMode;
  /**
   * Quiet time after a file system event before the files are read again.
   * @defaultValue `100`
   */
  readonly debounceMs?: number;
  /**
   * How often a polled directory's files are read (see `watchMode`); `0` for never, which leaves changes on file
   * systems without events unnoticed.
   * @defaultValue `1_000`
   */
  readonly pollIntervalMs?: number;
  /**
   * How long a key that vanished, emptied or broke right after the files changed is taken for a rewrite in
   * progress: meanwhile the last good key is served; after it, the removal or the error stands. The same as
   * `fromFile`'s.
   * @defaultValue `5_000`
   */
  readonly rewriteGraceMs?: number;
  /**
   * What to do when the file holding the key is readable by group or others: a `key:warning` event
   * (`FILE_PERMISSIONS`) once per file, a `KeySourceError`, or nothing.
   * @defaultValue `"warn"`
   */
  readonly permissions?: FilePermissions;
  /**
   * Warn once (`TRACKED_BY_GIT`) when the file holding the key is tracked by git. The check runs in the
   * background, only when a `.git` is found above the file.
   * @defaultValue `true`
   */
  readonly checkGit?: boolean;
  /** Receives the cache's events (`key:loaded`, `key:rotated`, `key:stale` …) and the `key:warning` events. */
  readonly onEvent?: OnceKeyEventListener;
  /**
   * Cache settings; see `cached`.
   * @defaultValue `cached`'s defaults: the key is kept until it is rejected or the file changes
   */
  readonly cache?: Omit<CachedOptions, "onEvent">;
  /**
   * For a provider built from configuration: the configuration variables that gave `path` and `variable`, so
   * messages tell to fix those (`ONCEKEY_DOTENV_PATH`, `ONCEKEY_ENV_VAR`) and show them where a value is not
   * repeated. `dotenvSource` passes them; code leaves this out.
   * @defaultValue none: the values are options passed in code
   */
  readonly configuredBy?: {
    /** The configuration variable that gave `path`, e.g. `ONCEKEY_DOTENV_PATH`. */
    readonly path?: string;
    /** The configuration variable that gave `variable`, e.g. `ONCEKEY_ENV_VAR`. */
    readonly variable?: string;
  };
}
