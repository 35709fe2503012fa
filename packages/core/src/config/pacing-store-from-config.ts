import { ConfigError } from "../errors/config-error.js";
import type { PacingStore } from "../transport/pacing/pacing-store.js";
import type { PacingOptions } from "../transport/transport-options.js";
import type { OnceKeyConfig } from "./key-source.js";
import type { PacingSource } from "./pacing-source.js";

/**
 * Builds the pacing store that `ONCEKEY_PACING_STORE` names, or returns undefined: for the in-process store, and
 * when the client's own options decide (`pacing: false`, or a `pacing.store`: code wins over the variable).
 *
 * @param config - From `loadConfig(env, { pacingSources })`.
 * @param pacingSources - The registered pacing sources.
 * @param pacing - The client's `pacing` option.
 * @throws {@link @oncekey/core!ConfigError | ConfigError} for a store's bad or missing variable.
 * @example
 * ```ts
 * const config = loadConfig(env, { sources, pacingSources });
 * const store = pacingStoreFromConfig(config, pacingSources, clientOptions.pacing); // close it with the client
 * const pacing = store === undefined ? clientOptions.pacing : { ...clientOptions.pacing, store };
 * ```
 */
export function pacingStoreFromConfig(
  config: OnceKeyConfig,
  pacingSources: readonly PacingSource[],
  pacing: PacingOptions | false | undefined,
): PacingStore | undefined {
  const name = config.pacingStore;
  if (name === undefined || pacing === false || pacing?.store !== undefined) return undefined;
  const source = pacingSources.find((s) => s.name === name);
  if (source === undefined) {
    throw new ConfigError(
      `ONCEKEY_PACING_STORE names "${name}", but that store is not registered. Pass it in \`pacingSources\`.`,
      { variable: "ONCEKEY_PACING_STORE" },
    );
  }
  return source.fromConfig(config);
}
