import { delimiter } from "node:path";
import type { KeySource, OnceKeyConfig } from "@oncekey/core";
import { fromDotenv } from "../dotenv/from-dotenv.js";
import { configuredVariable } from "./configured-variable.js";

/**
 * The `dotenv` key source, for `ONCEKEY_SOURCE=dotenv`: the key is in the `.env` file named by
 * `ONCEKEY_DOTENV_PATH` (default `.env`; several files separated by the platform's path delimiter, `:` on
 * POSIX, first wins), under the variable named by `ONCEKEY_ENV_VAR` (default `ONCEHUB_API_KEY`; `{tenant}`
 * allowed, as in `fromDotenv`).
 *
 * Paths are resolved against the working directory at start-up. A path is repeated in sources and messages only
 * when it starts with `/`, `./`, `../` or `~/` or has at most 20 characters (else it may be a key pasted into the
 * variable): `dotenv:<ONCEKEY_DOTENV_PATH>#ONCEHUB_API_KEY` stands in, and messages say it is relative and to which
 * directory. `{tenant}` in `ONCEKEY_DOTENV_PATH` or a bad `ONCEKEY_ENV_VAR` is a `ConfigError` naming the variable
 * at once; an absent file is `KEY_NOT_FOUND` at `getKey`, so `dotenv,env` falls through to the environment.
 *
 * @example
 * ```ts
 * import { resolveKeyProvider } from "@oncekey/core";
 * import { dotenvSource, envSource } from "@oncekey/env";
 *
 * // ONCEKEY_SOURCE=dotenv ONCEKEY_DOTENV_PATH=/etc/myapp/oncehub.env
 * const keys = resolveKeyProvider(process.env, [envSource, dotenvSource]);
 * ```
 */
export const dotenvSource: KeySource = Object.freeze({
  name: "dotenv",
  variables: Object.freeze(["ONCEKEY_DOTENV_PATH", "ONCEKEY_ENV_VAR"]),
  packageName: "@oncekey/env",
  fromConfig(config: OnceKeyConfig) {
    const raw = config.env.ONCEKEY_DOTENV_PATH?.trim();
    const path =
      raw === undefined || raw === ""
        ? ".env"
        : raw
            .split(delimiter)
            .map((p) => p.trim())
            .filter((p) => p !== "");
    return fromDotenv({
      path,
      ...configuredVariable(config),
      configuredBy: { path: "ONCEKEY_DOTENV_PATH", variable: "ONCEKEY_ENV_VAR" },
    });
  },
});
