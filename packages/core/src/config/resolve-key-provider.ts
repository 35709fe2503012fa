import { chain } from "../providers/chain.js";
import type { KeyProvider } from "../providers/key-provider.js";
import { ConfigError } from "../errors/config-error.js";
import type { KeySource, OnceKeyConfig } from "./key-source.js";
import { loadConfig } from "./load-config.js";

/**
 * Builds the key provider that the configuration asks for: the source named in `ONCEKEY_SOURCE`, or a `chain`
 * of several in the listed order. Reads only `env`; each call builds a new provider.
 *
 * @param env - The variables to read; pass `process.env`.
 * @param sources - The sources the app registers (`envSource`, `fileSource` …).
 * @throws {@link ConfigError} for any bad or missing variable, at once.
 * @example
 * ```ts
 * import { envSource, dotenvSource } from "@oncekey/env";
 * import { fileSource } from "@oncekey/file";
 *
 * // ONCEKEY_SOURCE=file,env ONCEKEY_FILE_PATH=/run/secrets/oncehub
 * const keys = resolveKeyProvider(process.env, [envSource, dotenvSource, fileSource]);
 * ```
 */
export function resolveKeyProvider(
  env: Readonly<Record<string, string | undefined>>,
  sources: readonly KeySource[],
): KeyProvider {
  if (!Array.isArray(sources)) {
    throw new ConfigError(
      "resolveKeyProvider needs the registered sources as an array of KeySource, e.g. [envSource, fileSource].",
    );
  }
  return keyProviderFromConfig(loadConfig(env, { sources }), sources);
}

/**
 * Builds the key provider of a configuration that {@link loadConfig} already read, so a caller that needs the
 * configuration too reads it once.
 *
 * @param config - From `loadConfig(env, { sources })`.
 * @param sources - The same registered sources.
 * @throws {@link @oncekey/core!ConfigError | ConfigError} for a bad or missing variable of a source, or a source
 *   not registered.
 * @example
 * ```ts
 * const config = loadConfig(process.env, { sources });
 * const keys = keyProviderFromConfig(config, sources);
 * ```
 */
export function keyProviderFromConfig(config: OnceKeyConfig, sources: readonly KeySource[]): KeyProvider {
  const providers: KeyProvider[] = [];
  try {
    for (const name of config.sources) {
      const source = sources.find((s) => s.name === name);
      if (source === undefined) {
        throw new ConfigError(
          `ONCEKEY_SOURCE names "${name}", but that source is not registered. Pass it in \`sources\`.`,
          { variable: "ONCEKEY_SOURCE" },
        );
      }
      providers.push(source.fromConfig(config));
    }
  } catch (error) {
    // The links built before the failing one may hold watchers or clients: release them.
    for (const provider of providers) void provider.close?.().catch(() => undefined);
    throw error;
  }
  return providers.length === 1 ? (providers[0] as KeyProvider) : chain(...providers);
}
