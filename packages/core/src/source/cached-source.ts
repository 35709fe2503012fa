import { ConfigError } from "../errors/config-error.js";
import type { OnceKeyEventListener } from "../events/once-key-event.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import { cached } from "../providers/cached.js";
import type { CachedOptions } from "../providers/cached-options.js";
import type { KeyProvider } from "../providers/key-provider.js";

/** The options of `cached` that a key source factory takes as numbers. */
const NUMBERS = [
  "maxTenants",
  "maxUnknownTenants",
  "ttlMs",
  "ttlJitter",
  "staleIfErrorMs",
  "retryAfterErrorMs",
  "notFoundTtlMs",
] as const;

/**
 * Wraps a key source's provider in `cached`, with the factory's `cache` options and `onEvent`, and reports a bad
 * cache option as every other bad option of the factory: a `ConfigError` naming `cache.<option>` (never
 * repeating a string given for a number, which could be a key pasted in the wrong place).
 *
 * @param provider - The uncached provider.
 * @param options - The factory's `cache` (names already checked by `checkSourceOptions`) and `onEvent`.
 * @param where - The factory, e.g. `fromFile`.
 * @throws {@link ConfigError} with `variable` `cache.<option>`.
 * @example
 * ```ts
 * return cachedSource(provider, { cache: options.cache, onEvent: options.onEvent }, "fromFile");
 * ```
 */
export function cachedSource(
  provider: KeyProvider,
  options: { readonly cache?: Omit<CachedOptions, "onEvent"> | undefined; readonly onEvent?: OnceKeyEventListener | undefined },
  where: string,
): KeyProvider {
  const cache: Readonly<Record<string, unknown>> = options.cache ?? {};
  for (const name of NUMBERS) {
    const value = cache[name];
    if (value !== undefined && typeof value !== "number") {
      throw new ConfigError(`${where}: cache.${name} must be a number, got ${describeOptionValue(value)}.`, {
        variable: `cache.${name}`,
      });
    }
  }
  try {
    return cached(provider, {
      ...options.cache,
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    });
  } catch (error) {
    // `cached` names the option at fault in `option` (or, as a ConfigError, in `variable`); its values are numbers
    // by now, which its message may repeat.
    const named = error as { option?: unknown; variable?: unknown; message?: unknown };
    const option = typeof named.option === "string" ? named.option : named.variable;
    if (typeof option !== "string" || typeof named.message !== "string") throw error;
    const path = option.startsWith("cache.") ? option : `cache.${option}`;
    const problem = named.message.replace(/^cached: /, "").replace(new RegExp(`^${option}\\b`), path);
    throw new ConfigError(`${where}: ${problem}`, { variable: path, cause: error });
  }
}
