import { ConfigError } from "../errors/config-error.js";
import { checkOptionNames } from "../options/check-option-names.js";
import { describeOptionValue } from "../options/describe-option-value.js";
import { functionOption } from "../options/function-option.js";
import { CACHED_OPTION_NAMES, resolveCachedOptions } from "../providers/cached-options.js";
import type { SettingOrigin } from "./configured-value.js";

/**
 * The options of `cached` that a key source factory takes under `cache` (all but `onEvent`, which it takes at the
 * top), to tell one passed at the top where it belongs.
 */
const CACHE_OPTIONS = CACHED_OPTION_NAMES.filter((name) => name !== "onEvent");

/**
 * What {@link checkSourceOptions} checks a key source factory's options against.
 *
 * @example
 * ```ts
 * const rule: SourceOptionsRule = { where: "fromEnv", known: ["variable", "env"], configurable: ["variable"] };
 * const originOf = checkSourceOptions(options, rule);
 * ```
 */
export interface SourceOptionsRule {
  /** The factory, e.g. `fromFile`. */
  readonly where: string;
  /** Its own options; `cache`, `onEvent` and `configuredBy` are every factory's and need not be listed. */
  readonly known: readonly string[];
  /** The options whose configuration variable `configuredBy` may name. @defaultValue none */
  readonly configurable?: readonly string[];
}

/** The options every key source factory takes, as `checkSourceOptions` reads them. */
interface SourceOptions {
  readonly cache?: Readonly<Record<string, unknown>>;
  readonly onEvent?: unknown;
  readonly configuredBy?: Readonly<Record<string, unknown>>;
}

/** A configuration variable's name: upper-case letters, digits and `_`, starting with a letter. */
const VARIABLE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Checks the shape every key source factory's options share, so that a mistake is the same `ConfigError` in every
 * source: the options object itself, unknown or misspelt names (with a did-you-mean), a cache option passed at the
 * top instead of under `cache` (as `fromAzureKeyVault` took them before), every option under `cache` (names and
 * values, as `cached` checks them, named `cache.<option>`), `onEvent`, and `configuredBy`. The factory checks the
 * values of its own options after, and hands `cache` and `onEvent` to `cached`, which then has nothing to refuse.
 *
 * @param options - What the factory was given.
 * @param rule - {@link SourceOptionsRule}.
 * @returns The origin of an option, for `ConfiguredValue`: the configuration variable `configuredBy` names for it, or
 *   none (an option passed in code).
 * @throws {@link @oncekey/core!ConfigError | ConfigError} naming the option.
 * @example
 * ```ts
 * const originOf = checkSourceOptions(options, { where: "fromEnv", known: ["variable", "env"], configurable: ["variable"] });
 * const variable = new ConfiguredValue(options?.variable ?? "ONCEHUB_API_KEY", "name", originOf("variable"));
 * return cached(provider, { ...options?.cache, onEvent: options?.onEvent });
 * ```
 */
export function checkSourceOptions(
  options: unknown,
  rule: SourceOptionsRule,
): (option: string) => SettingOrigin {
  const { where, known, configurable = [] } = rule;
  if (typeof options === "object" && options !== null && !Array.isArray(options)) {
    const given = options as Readonly<Record<string, unknown>>;
    for (const name of CACHE_OPTIONS) {
      if (given[name] !== undefined && !known.includes(name)) {
        throw new ConfigError(
          `${where}: ${name} is an option of the cache: pass it as cache.${name}, e.g. { cache: { ${name}: … } }.`,
          { variable: name },
        );
      }
    }
  }
  checkOptionNames(options, [...known, "cache", "onEvent", "configuredBy"], where);
  const shared = options as SourceOptions | undefined;
  if (shared?.cache?.onEvent !== undefined) {
    throw new ConfigError(`${where}: pass onEvent at the top of the options, not under cache.`, {
      variable: "cache.onEvent",
    });
  }
  resolveCachedOptions(shared?.cache, where, "cache");
  functionOption(shared?.onEvent, "onEvent", "receives each event", where);
  const configuredBy = shared?.configuredBy;
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
    variable: configuredBy?.[option] as string | undefined,
  });
}
