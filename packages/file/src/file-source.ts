import { ConfigError, type KeySource, type OnceKeyConfig } from "@oncekey/core";
import { FILE_PERMISSIONS, requireConfigVariable } from "@oncekey/core/source";
import type { FromFileOptions } from "./from-file-options.js";
import { fromFile } from "./from-file.js";

const WATCH_VALUES = ["auto", "fs", "poll", "off"] as const;

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
 * could be a key pasted into the variable): `file:<ONCEKEY_FILE_PATH>` stands in, and messages say that the path is
 * relative and to which working directory.
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
    const permissions = choice(config, "ONCEKEY_FILE_PERMISSIONS", FILE_PERMISSIONS, "warn");
    const options: FromFileOptions = {
      path,
      ...(watch === "off" ? { watch: false } : { watchMode: watch }),
      permissions,
      configuredBy: { path: "ONCEKEY_FILE_PATH", permissions: "ONCEKEY_FILE_PERMISSIONS" },
    };
    return fromFile(options);
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
