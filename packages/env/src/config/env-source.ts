import type { KeySource, OnceKeyConfig } from "@oncekey/core";
import { fromEnv } from "../env/from-env.js";
import { DEFAULT_VARIABLE } from "../names/variable-template.js";
import { configuredVariable } from "./configured-variable.js";

/**
 * The `env` key source, for `ONCEKEY_SOURCE=env` (the default): the key is in the variable named by
 * `ONCEKEY_ENV_VAR` (default `ONCEHUB_API_KEY`; `{tenant}` allowed, as in `fromEnv`).
 *
 * The variables are read from the `env` given to `resolveKeyProvider`, not from `process.env`, and at each
 * `getKey`: an unset key variable is `KEY_NOT_FOUND` then, so `dotenv,env` falls through. A bad
 * `ONCEKEY_ENV_VAR` is a `ConfigError` naming it at once. A name that could be a key pasted into `ONCEKEY_ENV_VAR`
 * (neither short nor in the usual upper-case form) is not repeated: sources read `env:<ONCEKEY_ENV_VAR>`.
 *
 * @example
 * ```ts
 * import { resolveKeyProvider } from "@oncekey/core";
 * import { dotenvSource, envSource } from "@oncekey/env";
 *
 * // ONCEKEY_SOURCE=dotenv,env
 * const keys = resolveKeyProvider(process.env, [envSource, dotenvSource]);
 * ```
 */
export const envSource: KeySource = Object.freeze({
  name: "env",
  variables: Object.freeze(["ONCEKEY_ENV_VAR", DEFAULT_VARIABLE]),
  packageName: "@oncekey/env",
  fromConfig(config: OnceKeyConfig) {
    return fromEnv({
      ...configuredVariable(config),
      env: config.env,
      configuredBy: { variable: "ONCEKEY_ENV_VAR" },
    });
  },
});
