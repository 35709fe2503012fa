import { dirname, resolve } from "node:path";
import { cached, ApiKey, ConfigError, KeyNotFoundError, type KeyProvider } from "@oncekey/core";
import {
  booleanOption,
  checkSourceOptions,
  choiceOption,
  ConfiguredValue,
  describeOptionValue,
  describeTenant,
  EventHub,
  FILE_PERMISSIONS,
  FILE_WATCH_MODES,
  functionOption,
  numberOption,
  PermissionPolicy,
  RewriteGrace,
  WatchFallbackWarning,
  type KeyChangeListener,
  type SettingOrigin,
} from "@oncekey/core/source";
import { variableOf, variableTemplate, type TenantToVariable } from "../names/variable-template.js";
import { ChangeFeed } from "./change-feed.js";
import { DotenvFiles, findVariable, type DotenvPath } from "./dotenv-files.js";
import type { FromDotenvOptions } from "./from-dotenv-options.js";
import { GitTrackingWarning } from "./git-tracking-warning.js";
import { ServedVariables } from "./served-variables.js";

const WHERE = "fromDotenv";

/**
 * Reads the OnceHub API key from `.env` files with dotenv's `parse`, and follows changes to them.
 *
 * - Never calls dotenv's `config`: `process.env` is not touched and nothing is logged.
 * - Returns a `cached` provider. The files' directories are watched as `fromFile` watches (debounced; polling on
 *   file systems that send no events, such as NFS or Docker Desktop's mounts, and wherever `fs.watch` fails; a
 *   replaced directory followed) and a tenant's key is reloaded when its value changes, so a rewritten file is
 *   served at once, with no failed call.
 * - A file being rewritten is not a removal: when a key that was served vanishes, empties or breaks less than
 *   `rewriteGraceMs` after the files changed, the last good key is served; if the files stay that way, the
 *   removal or the error stands after that time.
 * - No file, or no definition: {@link KeyNotFoundError} (a `chain` moves on). Empty or malformed value:
 *   `KeyFormatError`. Unreadable file: `KeySourceError`. Files over 1 MiB are refused.
 * - Warns once (`key:warning`) when the file is readable by group or others, or tracked by git; the events reach
 *   `onEvent` and a client's `onEvent` alike.
 * - The key's source is `dotenv:<path>#<VARIABLE>`. A path or name that could be a key pasted in the wrong place
 *   (a relative path over 20 characters; a name neither short nor in the usual upper-case form) is not repeated:
 *   `<the path option>` stands in, and messages say whether the path is relative and to which directory.
 *
 * @param options - {@link FromDotenvOptions}.
 * @throws `ConfigError` naming the option for a bad or unknown option, such as `{tenant}` in `path` or a duration
 *   past what a timer can wait (about 24 days).
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
export function fromDotenv(options?: FromDotenvOptions): KeyProvider {
  const originOf = checkSourceOptions(options, {
    where: WHERE,
    known: [
      "path",
      "variable",
      "tenantToVariable",
      "watch",
      "watchMode",
      "debounceMs",
      "pollIntervalMs",
      "rewriteGraceMs",
      "permissions",
      "checkGit",
    ],
    configurable: ["path", "variable"],
  });
  const paths = dotenvPaths(
    options?.path,
    originOf("path"),
    variableOf(options?.variable, originOf("variable")),
  );
  const files = new DotenvFiles(paths);
  const map = functionOption<TenantToVariable>(
    options?.tenantToVariable,
    "tenantToVariable",
    "maps a tenant id to its variable",
    WHERE,
  );
  const names = variableTemplate(
    variableOf(options?.variable, originOf("variable")),
    map,
    (variable) => `dotenv:${files.shown()}#${variable}`,
  );
  const ms = (name: string, value: unknown, fallback: number): number =>
    numberOption(value, name, fallback, { unit: "ms" }, WHERE);
  const graceMs = ms("rewriteGraceMs", options?.rewriteGraceMs, 5_000);
  const debounceMs = ms("debounceMs", options?.debounceMs, 100);
  const pollIntervalMs = ms("pollIntervalMs", options?.pollIntervalMs, 1_000);
  const watch = booleanOption(options?.watch, "watch", true, WHERE);
  const watchMode = choiceOption(options?.watchMode, "watchMode", FILE_WATCH_MODES, "auto", WHERE);
  if (watchMode === "poll" && pollIntervalMs === 0) {
    throw new ConfigError(`${WHERE}: watchMode "poll" needs a pollIntervalMs above 0.`, {
      variable: "pollIntervalMs",
    });
  }
  const checkGit = booleanOption(options?.checkGit, "checkGit", true, WHERE);
  const permissions = choiceOption(options?.permissions, "permissions", FILE_PERMISSIONS, "warn", WHERE);

  const events = new EventHub(options?.onEvent);
  const policy = new PermissionPolicy({
    permissions,
    events,
    setting: "the permissions option",
  });
  const git = new GitTrackingWarning(events);
  const grace = new RewriteGrace(graceMs, 10_000);
  const served = new ServedVariables();
  const fallback = new WatchFallbackWarning(events, pollIntervalMs);
  const feed = new ChangeFeed(files, served, {
    watchMode,
    debounceMs,
    pollIntervalMs,
    graceMs,
    onFallback: (path, reason) =>
      fallback.report(
        {
          // The directory of a path that is not repeated would repeat part of it.
          directory: path.value.quoted ? dirname(path.absolute) : `the directory of ${path.spoken}`,
          source: `dotenv:${files.shown()}`,
        },
        reason,
      ),
  });

  const provider: KeyProvider = {
    name: "dotenv",
    getKey: (request) =>
      names.read(request?.tenant, async (variable) => {
        const tenant = request?.tenant;
        const snapshot = await files.read();
        const found = findVariable(snapshot, variable);
        try {
          if (found === undefined) {
            throw notFound(
              files,
              names.value,
              variable,
              tenant,
              snapshot.files.some((f) => f.values),
              names.sourceOf(variable),
            );
          }
          const file = found.file;
          const key = ApiKey.from(found.raw, {
            source: `dotenv:${file.path.display}#${names.shown(variable)}`,
          });
          if (file.mode !== undefined) {
            const refusal = policy.check(
              {
                path: file.path.absolute,
                phrase: file.path.phrase,
                source: `dotenv:${file.path.display}`,
                tenant,
              },
              file.mode,
            );
            if (refusal !== undefined) throw refusal;
          }
          if (checkGit) git.inspect(file.path);
          grace.served(variable);
          served.record(variable, tenant, found);
          return key;
        } catch (error) {
          throw grace.excuse(variable, error, {
            what: `${capitalized(names.value.spoken("variable", variable))} in ${files.spoken()}`,
            source: names.sourceOf(variable),
            changedAt: snapshot.since,
          });
        }
      }),
    subscribe: (listener) => events.subscribe(listener),
    async close(): Promise<void> {
      feed.close();
      await git.close();
    },
  };
  if (watch) provider.watch = (listener: KeyChangeListener) => feed.subscribe(listener);
  const onEvent = options?.onEvent;
  return cached(provider, { ...options?.cache, ...(onEvent === undefined ? {} : { onEvent }) });
}

function dotenvPaths(path: unknown, origin: SettingOrigin, variable: ConfiguredValue): DotenvPath[] {
  const list: unknown = typeof path === "string" ? [path] : (path ?? [".env"]);
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfiguredValue("", "path", origin).error(
      `must be a path or a non-empty list of paths, got ${describeOptionValue(path)}.`,
    );
  }
  return list.map((given: unknown, index) => {
    const value = new ConfiguredValue(typeof given === "string" ? given : "", "path", {
      ...origin,
      ...(list.length === 1 ? {} : { entry: index + 1 }),
    });
    if (typeof given !== "string" || given.trim() === "") {
      throw value.error(`must be a non-empty path, got ${describeOptionValue(given)}.`);
    }
    if (given.includes("{tenant}")) {
      throw value.error(
        `holds {tenant}, but .env files are not chosen per tenant. Remove it, and put {tenant} in ` +
          `${variable.setting} (ONCEHUB_API_KEY_{tenant}) to keep one key per tenant in the file, or use ` +
          `${variable.fromConfig ? 'the "file" source' : "fromFile"} for one file per tenant.`,
      );
    }
    if (given.includes("\0")) throw value.error("holds a null byte.");
    return {
      absolute: resolve(given),
      value,
      display: value.shown(),
      spoken: value.spoken(".env file", given),
      phrase: value.phrase(".env file", given),
    };
  });
}

function notFound(
  files: DotenvFiles,
  variable: ConfiguredValue,
  name: string,
  tenant: string | undefined,
  anyFile: boolean,
  source: string,
): KeyNotFoundError {
  const forTenant = tenant === undefined ? "" : ` (the key of tenant ${describeTenant(tenant)})`;
  const spoken = variable.spoken("variable", name);
  const addLine = variable.quoted
    ? `Add a line ${name}=<your OnceHub API key>.`
    : "Add a line that sets it to your OnceHub API key.";
  return new KeyNotFoundError(
    anyFile
      ? `${capitalized(spoken)}${forTenant} is not defined in ${files.spoken()}. ${addLine}`
      : `No .env file found (looked for ${files.spoken()}), so ${spoken}${forTenant} is not set. Create the ` +
          "file, or point the path to it.",
    { source },
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
