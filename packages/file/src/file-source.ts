import { ConfigError, type KeySource, type OnceKeyConfig } from "@oncekey/core";
import { requireConfigVariable } from "@oncekey/core/source";
import type { FromFileOptions } from "./from-file-options.js";
import { fileProvider } from "./from-file.js";
import type { FilePermissions } from "./read/check-permissions.js";

const WATCH_VALUES = ["auto", "fs", "poll", "off"] as const;
const PERMISSION_VALUES: readonly FilePermissions[] = ["warn", "refuse", "ignore"];

/**
 * The `file` key source, for `ONCEKEY_SOURCE=file` (or `file,env` …) with `resolveKeyProvider`.
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `ONCEKEY_FILE_PATH` | the key file, a path with a `/` (`./key` for the working directory); may hold `{tenant}` (required) | |
 * | `ONCEKEY_FILE_WATCH` | `auto`, `fs`, `poll` (Docker Desktop bind mounts, NFS) or `off` | `auto` |
 * | `ONCEKEY_FILE_PERMISSIONS` | a key file readable by group or others: `warn`, `refuse` or `ignore` | `warn` |
 *
 * A missing `ONCEKEY_FILE_PATH` or a bad value is a `ConfigError` naming the variable; a file that is configured but
 * absent is a `KeyNotFoundError` at `getKey`, so `file,env` falls through to the environment. A path is repeated
 * in sources and messages only when it starts with `/`, `./`, `../` or `~/` or has at most 20 characters (else it
 * could be a key pasted into the variable): `file:<ONCEKEY_FILE_PATH>` stands in.
 *
 * @example
 * ```ts
 * import { resolveKeyProvider } from "@oncekey/core";
 * import { envSource } from "@oncekey/env";
 * import { fileSource } from "@oncekey/file";
 *
 * // ONCEKEY_SOURCE=file,env ONCEKEY_FILE_PATH=/run/secrets/oncehub_api_key
 * const keys = resolveKeyProvider(process.env, [fileSource, envSource]);
 * ```
 */
export const fileSource: KeySource = Object.freeze({
  name: "file",
  variables: Object.freeze(["ONCEKEY_FILE_PATH", "ONCEKEY_FILE_WATCH", "ONCEKEY_FILE_PERMISSIONS"]),
  packageName: "@oncekey/file",
  fromConfig(config: OnceKeyConfig) {
    const path = requireConfigVariable(config, "ONCEKEY_FILE_PATH", {
      source: "file",
      example: "/run/secrets/oncehub_api_key",
    });
    if (!/[/\\]/.test(path)) {
      // Not echoed: a bare name may be the key itself, pasted into the wrong variable.
      throw new ConfigError(
        "ONCEKEY_FILE_PATH must be a path holding a directory separator, e.g. /run/secrets/oncehub_api_key or " +
          "./oncehub_api_key; a bare name is refused, as it may be the key pasted into the wrong variable.",
        { variable: "ONCEKEY_FILE_PATH" },
      );
    }
    const watch = choice(config, "ONCEKEY_FILE_WATCH", WATCH_VALUES, "auto");
    const permissions = choice(config, "ONCEKEY_FILE_PERMISSIONS", PERMISSION_VALUES, "warn");
    const options: FromFileOptions =
      watch === "off" ? { path, watch: false, permissions } : { path, watchMode: watch, permissions };
    try {
      return fileProvider(options, "ONCEKEY_FILE_PATH");
    } catch (error) {
      throw new ConfigError(`ONCEKEY_FILE_PATH is not a usable key file path: ${(error as Error).message}`, {
        variable: "ONCEKEY_FILE_PATH",
        cause: error,
      });
    }
  },
});

function choice<T extends string>(
  config: OnceKeyConfig,
  variable: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = config.env[variable]?.trim().toLowerCase();
  if (value === undefined || value === "") return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  // The value is not echoed: a key pasted into the wrong variable must not reach a log.
  throw new ConfigError(`${variable} must be one of ${allowed.join(", ")} (default ${fallback}).`, {
    variable,
  });
}
