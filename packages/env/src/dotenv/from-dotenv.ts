import { dirname, resolve } from "node:path";
import {
  ApiKey,
  cached,
  KeyNotFoundError,
  KeySourceError,
  type CachedOptions,
  type KeyProvider,
  type KeyRequest,
  type OnceKeyEventListener,
} from "@oncekey/core";
import {
  describeConfigValue,
  emitEvent,
  type KeyChangeListener,
  quotableConfigValue,
} from "@oncekey/core/source";
import { VariableNames, type TenantToVariable } from "../names/variable-names.js";
import { checkBoolean, checkMilliseconds, checkObject, checkOptions } from "../options/check-options.js";
import { ChangeFeed } from "./change-feed.js";
import { DotenvFiles, findVariable, type DotenvPath } from "./dotenv-files.js";
import { ExposureWarnings, type FilePermissions } from "./exposure-warnings.js";
import { ServedVariables } from "./served-variables.js";

/**
 * Options of {@link fromDotenv}; every field is optional.
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
   * Quiet time after a file system event before the files are read again.
   * @defaultValue `100`
   */
  readonly debounceMs?: number;
  /**
   * How often the files are read anyway, for file systems where `fs.watch` sees nothing (and where it cannot
   * watch), as `fromFile` polls; `0` for never.
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
}

/**
 * Reads the OnceHub API key from `.env` files with dotenv's `parse`, and follows changes to them.
 *
 * - Never calls dotenv's `config`: `process.env` is not touched and nothing is logged.
 * - Returns a `cached` provider. The files' directories are watched (debounced, with a polling fallback) and a
 *   tenant's key is reloaded when its value changes, so a rewritten file is served at once, with no failed call.
 * - A file being rewritten is not a removal: when a key that was served vanishes, empties or breaks less than
 *   `rewriteGraceMs` after the files changed, the last good key is served; if the files stay that way, the
 *   removal or the error stands after that time.
 * - No file, or no definition: {@link KeyNotFoundError} (a `chain` moves on). Empty or malformed value:
 *   `KeyFormatError`. Unreadable file: {@link KeySourceError}. Files over 1 MiB are refused.
 * - Warns once (`key:warning`) when the file is readable by group or others, or tracked by git.
 * - The key's source is `dotenv:<path>#<VARIABLE>`. A path or name that could be a key pasted in the wrong
 *   place (a relative path or a name longer than 20 characters) is not repeated: `<the path option>` stands in.
 *
 * @param options - {@link FromDotenvOptions}.
 * @throws TypeError for an option of the wrong type or a bad path, such as `{tenant}` in `path`; RangeError for a
 *   duration below 0 or past what a timer can wait (about 24 days).
 * @example
 * ```ts
 * import { fromDotenv } from "@oncekey/env";
 *
 * // .env.local overrides .env
 * const keys = fromDotenv({ path: [".env.local", ".env"], onEvent: (event) => console.log(event) });
 * const key = await keys.getKey();
 * console.log(key.source); // dotenv:.env.local#ONCEHUB_API_KEY
 * await keys.close?.();
 * ```
 */
export function fromDotenv(given?: FromDotenvOptions): KeyProvider {
  return dotenvProvider(given, { path: "the path option", variable: "the variable option" });
}

/** The settings that gave `fromDotenv`'s path and variable, named in place of a value that is not repeated. */
export interface DotenvSettings {
  /** `ONCEKEY_DOTENV_PATH`, or the option. */
  readonly path: string;
  /** `ONCEKEY_ENV_VAR`, or the option. */
  readonly variable: string;
}

/**
 * {@link fromDotenv}, told which settings gave the path and the variable, so a value too unlike a path or a short
 * name to repeat (it may be a key pasted in the wrong place) is shown as its setting: `dotenv:<ONCEKEY_DOTENV_PATH>`.
 *
 * @param given - {@link FromDotenvOptions}.
 * @param settings - {@link DotenvSettings}.
 * @example
 * ```ts
 * const keys = dotenvProvider({ path }, { path: "ONCEKEY_DOTENV_PATH", variable: "ONCEKEY_ENV_VAR" });
 * ```
 */
export function dotenvProvider(given: FromDotenvOptions | undefined, settings: DotenvSettings): KeyProvider {
  const options: FromDotenvOptions = checkOptions(given, "fromDotenv");
  checkObject(options.cache, "cache", "fromDotenv");
  const paths = dotenvPaths(options.path, settings.path);
  const names = VariableNames.fromOptions(
    options.variable,
    options.tenantToVariable,
    "fromDotenv",
    (variable) => `dotenv:${paths.map((p) => p.display).join(",")}#${variable}`,
    settings.variable,
  );
  const graceMs = checkMilliseconds(options.rewriteGraceMs, 5_000, "rewriteGraceMs", "fromDotenv");
  const debounceMs = checkMilliseconds(options.debounceMs, 100, "debounceMs", "fromDotenv");
  const pollIntervalMs = checkMilliseconds(options.pollIntervalMs, 1_000, "pollIntervalMs", "fromDotenv");
  const watch = checkBoolean(options.watch, true, "watch", "fromDotenv");
  const checkGit = checkBoolean(options.checkGit, true, "checkGit", "fromDotenv");
  const permissions = options.permissions ?? "warn";
  if (!["warn", "refuse", "ignore"].includes(permissions)) {
    throw new TypeError('fromDotenv: permissions must be "warn", "refuse" or "ignore".');
  }

  const files = new DotenvFiles(paths);
  const served = new ServedVariables();
  let fallbackReported = false;
  const feed = new ChangeFeed(files, served, {
    debounceMs,
    pollIntervalMs,
    graceMs,
    onFallback: (directory, reason) => {
      // Once per provider, as fromFile does.
      if (fallbackReported) return;
      fallbackReported = true;
      const source = `dotenv:${files.describe()}`;
      // The directory of a path that is not repeated would repeat part of it.
      const hidden = paths.some((p) => !p.quoted && dirname(p.absolute) === directory);
      const how =
        pollIntervalMs > 0
          ? `; polling it every ${pollIntervalMs} ms instead`
          : ", and pollIntervalMs is 0: changes are not followed";
      emitEvent(
        {
          type: "key:warning",
          time: Date.now(),
          source,
          code: "WATCH_FALLBACK",
          message:
            `Cannot watch ${hidden ? "the directory" : directory} for changes to ${files.describe()} (${reason})${how}. Raise ` +
            "fs.inotify.max_user_watches, or set pollIntervalMs.",
        },
        options.onEvent,
      );
    },
  });
  const exposure = new ExposureWarnings({
    permissions,
    checkGit,
    onEvent: options.onEvent,
  });

  const provider: KeyProvider = {
    name: "dotenv",
    async getKey(request?: KeyRequest): Promise<ApiKey> {
      const tenant = request?.tenant;
      const variable = names.nameFor(tenant);
      const snapshot = await files.read();
      const found = findVariable(snapshot, variable);
      try {
        if (found === undefined)
          throw notFound(
            files,
            names,
            variable,
            tenant,
            snapshot.files.some((f) => f.values),
          );
        const key = ApiKey.from(found.raw, {
          source: `dotenv:${found.file.path.display}#${names.shown(variable)}`,
        });
        if (found.file.mode !== undefined) exposure.inspect(found.file.path, found.file.mode);
        names.claim(variable, tenant);
        served.record(variable, tenant, found);
        return key;
      } catch (error) {
        const age = Date.now() - snapshot.since;
        if (served.has(variable) && age < graceMs && !KeySourceError.is(error)) {
          throw new KeySourceError(
            `${capitalized(names.spoken(variable))} vanished from ${files.describe()} or became invalid ${age} ms ` +
              `after the files changed; taking it for a rewrite in progress for up to ${graceMs} ms.`,
            { source: `dotenv:${files.describe()}#${names.shown(variable)}`, cause: error },
          );
        }
        throw error;
      }
    },
    async close(): Promise<void> {
      feed.close();
      await exposure.close();
    },
  };
  if (watch) {
    Object.defineProperty(provider, "watch", {
      value: (listener: KeyChangeListener) => feed.subscribe(listener),
      enumerable: true,
    });
  }
  return cached(provider, {
    ...options.cache,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });
}

function dotenvPaths(path: string | readonly string[] | undefined, setting: string): DotenvPath[] {
  const list = typeof path === "string" ? [path] : (path ?? [".env"]);
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError("fromDotenv: path must be a path or a non-empty list of paths.");
  }
  return list.map((given: unknown, index) => {
    if (typeof given !== "string" || given.trim() === "") {
      throw new TypeError("fromDotenv: every path must be a non-empty string.");
    }
    const shown = quotableConfigValue(given, "path");
    if (given.includes("{tenant}")) {
      throw new TypeError(
        `fromDotenv: the path ${shown ?? `(${describeConfigValue(given, "path")})`} holds {tenant}; .env files ` +
          "are not chosen per tenant. Put {tenant} in variable (ONCEHUB_API_KEY_{tenant}), or use fromFile for " +
          "one file per tenant.",
      );
    }
    if (given.includes("\0")) throw new TypeError("fromDotenv: a path must not hold a null byte.");
    const display = shown ?? (list.length === 1 ? `<${setting}>` : `<${setting} entry ${index + 1}>`);
    return { absolute: resolve(given), display, quoted: shown !== undefined };
  });
}

function notFound(
  files: DotenvFiles,
  names: VariableNames,
  variable: string,
  tenant: string | undefined,
  anyFile: boolean,
): Error {
  const forTenant = tenant === undefined ? "" : ` (the key of tenant "${tenant}")`;
  const spoken = names.spoken(variable);
  const addLine = names.quoted
    ? `Add a line ${variable}=<your OnceHub API key>.`
    : "Add a line that sets it to your OnceHub API key.";
  return new KeyNotFoundError(
    anyFile
      ? `${capitalized(spoken)}${forTenant} is not defined in ${files.describe()}. ${addLine}`
      : `No .env file found at ${files.describe()}, so ${spoken}${forTenant} is not set. Create the file, or ` +
          "point the path to it.",
    { source: `dotenv:${files.describe()}#${names.shown(variable)}` },
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
