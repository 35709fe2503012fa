import type { OnceKeyEventListener } from "../events/once-key-event.js";
import { checkOptionNames } from "../options/check-option-names.js";
import { functionOption } from "../options/function-option.js";
import { numberOption } from "../options/number-option.js";

/**
 * Options of `cached`.
 *
 * @example
 * ```ts
 * const keys = cached(fromMyStore(), { ttlMs: 3_600_000, ttlJitter: 0.1, staleIfErrorMs: 600_000 });
 * ```
 */
export interface CachedOptions {
  /**
   * The most tenants whose keys are held, 1 to 1,000,000; the least recently used is dropped past it.
   * @defaultValue `10_000`
   */
  readonly maxTenants?: number | undefined;
  /**
   * The most tenants remembered as having no key (see `notFoundTtlMs`), at most 1,000,000. They are held apart
   * from `maxTenants`, so a flood of made-up tenant ids never pushes a real key out.
   * @defaultValue `1_000`
   */
  readonly maxUnknownTenants?: number | undefined;
  /**
   * Reload a key this long after it was read. API keys do not expire on a clock, so by default a key is kept
   * until OnceHub rejects it or its source reports a change; a TTL is hygiene for fleets.
   * @defaultValue none
   */
  readonly ttlMs?: number | undefined;
  /**
   * Shortens each TTL by up to this fraction, at random, so a fleet does not reload in step.
   * @defaultValue `0`
   */
  readonly ttlJitter?: number | undefined;
  /**
   * When a reload fails (the source is down), keep serving the last good key for up to this long after it was
   * due, with a `key:stale` event. `0` turns stale-if-error off. A rejected key is never served stale.
   * @defaultValue `3_600_000` (one hour)
   */
  readonly staleIfErrorMs?: number | undefined;
  /**
   * While serving a stale key, ask the source again at most this often.
   * @defaultValue `1_000`
   */
  readonly retryAfterErrorMs?: number | undefined;
  /**
   * Remember "no key for this tenant" ({@link KeyNotFoundError}) this long, so unknown tenants cannot hammer the
   * source. `0` turns it off.
   * @defaultValue `1_000`
   */
  readonly notFoundTtlMs?: number | undefined;
  /** Receives `key:loaded`, `key:rotated`, `key:invalidated` and `key:stale` events. */
  readonly onEvent?: OnceKeyEventListener | undefined;
  /**
   * The clock, in milliseconds.
   * @defaultValue `Date.now`
   */
  readonly now?: (() => number) | undefined;
}

/**
 * {@link CachedOptions} checked, with every default filled in.
 * @inline
 */
export interface ResolvedCachedOptions {
  /** The most tenants whose keys are held (`maxTenants`). */
  readonly maxTenants: number;
  /** The most tenants remembered as having no key (`maxUnknownTenants`). */
  readonly maxUnknownTenants: number;
  /** How long a key is kept before a reload, in ms; `Infinity` without a TTL. */
  readonly ttlMs: number;
  /** The fraction of each TTL taken off at random, 0 to 0.99. */
  readonly ttlJitter: number;
  /** How long past due a key is served while its source fails, in ms; `0` when off. */
  readonly staleIfErrorMs: number;
  /** How often the source is asked again while a stale key is served, in ms. */
  readonly retryAfterErrorMs: number;
  /** How long "no key for this tenant" is remembered, in ms; `0` when off. */
  readonly notFoundTtlMs: number;
  /** The listener of the cache's events; undefined when none was given. */
  readonly onEvent: OnceKeyEventListener | undefined;
  /** The clock, in ms: `Date.now` unless one was given. */
  readonly now: () => number;
}

/** The names {@link CachedOptions} holds. */
export const CACHED_OPTION_NAMES = [
  "maxTenants",
  "maxUnknownTenants",
  "ttlMs",
  "ttlJitter",
  "staleIfErrorMs",
  "retryAfterErrorMs",
  "notFoundTtlMs",
  "onEvent",
  "now",
] as const satisfies readonly (keyof CachedOptions)[];

/** The most tenants a cache may hold: lru-cache reserves memory for every slot up front (~28 bytes each). */
const MAX_TENANTS = 1_000_000;

/**
 * Checks every option of `cached` and fills in the defaults; a bad or unknown option is a
 * {@link @oncekey/core!ConfigError | ConfigError} naming it. A factory that takes cache options under its own
 * name (`fromFile({ cache })`) passes `where` and `path`, so the error names them as the user wrote them
 * (`fromFile: cache.maxTenants …`).
 *
 * @param options - The options as given.
 * @param where - Whose options they are, for messages. @defaultValue "cached"
 * @param path - Where they sit in the caller's options, e.g. `cache`.
 * @example
 * ```ts
 * resolveCachedOptions(options.cache, "fromFile", "cache"); // checks before the factory builds anything
 * ```
 */
export function resolveCachedOptions(
  options: CachedOptions | undefined,
  where = "cached",
  path?: string,
): ResolvedCachedOptions {
  checkOptionNames(options, CACHED_OPTION_NAMES, where, path);
  const name = (option: string): string => (path === undefined ? option : `${path}.${option}`);
  const ms = (value: unknown, option: string, fallback: number, positive = false): number =>
    numberOption(value, name(option), fallback, { exclusiveMin: positive, unit: "ms" }, where);
  const tenants = (value: unknown, option: string, fallback: number): number =>
    numberOption(value, name(option), fallback, { min: 1, max: MAX_TENANTS, integer: true }, where);
  const ttlJitter = numberOption(options?.ttlJitter, name("ttlJitter"), 0, { max: 0.99 }, where);
  return {
    maxTenants: tenants(options?.maxTenants, "maxTenants", 10_000),
    maxUnknownTenants: tenants(options?.maxUnknownTenants, "maxUnknownTenants", 1_000),
    ttlMs: options?.ttlMs === undefined ? Infinity : ms(options.ttlMs, "ttlMs", 0, true),
    ttlJitter,
    staleIfErrorMs: ms(options?.staleIfErrorMs, "staleIfErrorMs", 3_600_000),
    retryAfterErrorMs: ms(options?.retryAfterErrorMs, "retryAfterErrorMs", 1_000),
    notFoundTtlMs: ms(options?.notFoundTtlMs, "notFoundTtlMs", 1_000),
    onEvent: functionOption<OnceKeyEventListener>(
      options?.onEvent,
      name("onEvent"),
      "receives each event",
      where,
    ),
    now: functionOption<() => number>(options?.now, name("now"), "returns the time in ms", where) ?? Date.now,
  };
}
