import { ConfigError } from "../errors/config-error.js";
import { checkOptionNames } from "../options/check-option-names.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import { functionOption } from "../options/function-option.js";
import type { SettingOrigin } from "./configured-value.js";

/**
 * The options of `cached` that every key source factory takes under `cache` (all but `onEvent`, which a factory
 * takes at the top). Keep in step with `CachedOptions`.
 */
export const CACHE_OPTION_NAMES: readonly string[] = [
  "maxTenants",
  "maxUnknownTenants",
  "ttlMs",
  "ttlJitter",
  "staleIfErrorMs",
  "retryAfterErrorMs",
  "notFoundTtlMs",
  "now",
];

/** What {@link checkSourceOptions} checks a key source factory's options against. */
export interface SourceOptionsRule {
  /** The factory, e.g. `fromFile`. */
  readonly where: string;
  /** Its own options; `cache`, `onEvent` and `configuredBy` are every factory's and need not be listed. */
  readonly known: readonly string[];
  /** The options whose configuration variable `configuredBy` may name. @defaultValue none */
  readonly configurable?: readonly string[];
}

/** A configuration variable's name: upper-case letters, digits and `_`, starting with a letter. */
const VARIABLE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Checks the shape every key source factory's options share, so that a mistake is the same `ConfigError` in every
 * source: the options object itself, unknown or misspelt names (with a did-you-mean), a cache option passed at the
 * top instead of under `cache` (as `fromAzureKeyVault` took them before), unknown names under `cache`, `onEvent`,
 * and `configuredBy`. The factory checks the values of its own options after.
 *
 * @param options - What the factory was given.
 * @param rule - {@link SourceOptionsRule}.
 * @returns The origin of an option, for `ConfiguredValue`: the configuration variable `configuredBy` names, or
 *   the option itself.
 * @throws {@link ConfigError} naming the option.
 * @example
 * ```ts
 * const originOf = checkSourceOptions(options, { where: "fromEnv", known: ["variable", "env"], configurable: ["variable"] });
 * const variable = new ConfiguredValue(options.variable ?? "ONCEHUB_API_KEY", "name", originOf("variable"));
 * ```
 */
export function checkSourceOptions(options: unknown, rule: SourceOptionsRule): (option: string) => SettingOrigin {
  const { where, known, configurable = [] } = rule;
  if (typeof options === "object" && options !== null && !Array.isArray(options)) {
    const given = options as Readonly<Record<string, unknown>>;
    for (const name of CACHE_OPTION_NAMES) {
      if (given[name] !== undefined && !known.includes(name)) {
        throw new ConfigError(
          `${where}: ${name} is an option of the cache: pass it as cache.${name}, e.g. { cache: { ${name}: … } }.`,
          { variable: name },
        );
      }
    }
  }
  checkOptionNames(options, [...known, "cache", "onEvent", "configuredBy"], where);
  checkOptionNames(options?.cache, CACHE_OPTION_NAMES, where, "cache");
  functionOption(options?.onEvent, "onEvent", "receives each event", where);
  const configuredBy = options?.configuredBy;
  checkOptionNames(configuredBy, configurable, where, "configuredBy");
  for (const [option, variable] of Object.entries(configuredBy ?? {})) {
    if (variable !== undefined && (typeof variable !== "string" || !VARIABLE.test(variable))) {
      throw new ConfigError(
        `${where}: configuredBy.${option} must be the name of the configuration variable that gave ${option}, ` +
          `such as ONCEKEY_FILE_PATH; got ${describeOptionValue(variable)}.`,
        { variable: `configuredBy.${option}` },
      );
    }
  }
  return (option) => ({
    option,
    factory: where,
    variable: (configuredBy as Readonly<Record<string, string | undefined>> | undefined)?.[option],
  });
}
