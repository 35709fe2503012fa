import { chain } from "../providers/chain.js";
import type { KeyProvider } from "../providers/key-provider.js";
import type { KeySource } from "./key-source.js";
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
  const config = loadConfig(env, { sources });
  const providers = config.sources.map((name) => {
    // loadConfig checked that every name is registered.
    const source = sources.find((s) => s.name === name) as KeySource;
    return source.fromConfig(config);
  });
  return providers.length === 1 ? (providers[0] as KeyProvider) : chain(...providers);
}
