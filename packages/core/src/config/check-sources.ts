import { ConfigError } from "../errors/config-error.js";
import type { KeySource } from "./key-source.js";

/**
 * Checks the registered key sources a caller passed (`sources: [envSource, fileSource]`): an array of objects
 * with a `name` and a `fromConfig` function. Anything else is a {@link ConfigError} naming the entry, instead of
 * a `TypeError` from deep inside.
 *
 * @param sources - As given; `undefined` passes.
 * @param where - The function they were passed to, for the message.
 * @example
 * ```ts
 * checkSources(options.sources, "OnceHubClient.fromEnvironment");
 * ```
 */
export function checkSources(sources: unknown, where: string): readonly KeySource[] | undefined {
  if (sources === undefined) return undefined;
  if (!Array.isArray(sources)) {
    throw new ConfigError(
      `${where}: sources must be an array of key sources, e.g. [envSource, fileSource] from @oncekey/env and ` +
        "@oncekey/file.",
      { variable: "sources" },
    );
  }
  sources.forEach((source: unknown, index) => {
    const candidate = source as Partial<KeySource> | null;
    if (
      typeof candidate !== "object" ||
      candidate === null ||
      typeof candidate.name !== "string" ||
      typeof candidate.fromConfig !== "function"
    ) {
      throw new ConfigError(
        `${where}: sources[${index}] is not a key source (an object with a name and a fromConfig function), ` +
          "e.g. envSource from @oncekey/env.",
        { variable: `sources[${index}]` },
      );
    }
  });
  return sources as readonly KeySource[];
}
