import type { OnceKeyEventListener } from "../events/once-key-event.js";

/** Options of `cached`. */
export interface CachedOptions {
  /**
   * The most tenants whose keys are held, at most 1,000,000; the least recently used is dropped past it.
   * @defaultValue `10_000`
   */
  readonly maxTenants?: number;
  /**
   * The most tenants remembered as having no key (see `notFoundTtlMs`), at most 1,000,000. They are held apart
   * from `maxTenants`, so a flood of made-up tenant ids never pushes a real key out.
   * @defaultValue `1_000`
   */
  readonly maxUnknownTenants?: number;
  /**
   * Reload a key this long after it was read. API keys do not expire on a clock, so by default a key is kept
   * until OnceHub rejects it or its source reports a change; a TTL is hygiene for fleets.
   * @defaultValue none
   */
  readonly ttlMs?: number;
  /**
   * Shortens each TTL by up to this fraction, at random, so a fleet does not reload in step.
   * @defaultValue `0`
   */
  readonly ttlJitter?: number;
  /**
   * When a reload fails (the source is down), keep serving the last good key for up to this long after it was
   * due, with a `key:stale` event. `0` turns stale-if-error off. A rejected key is never served stale.
   * @defaultValue `3_600_000` (one hour)
   */
  readonly staleIfErrorMs?: number;
  /**
   * While serving a stale key, ask the source again at most this often.
   * @defaultValue `1_000`
   */
  readonly retryAfterErrorMs?: number;
  /**
   * Remember "no key for this tenant" ({@link KeyNotFoundError}) this long, so unknown tenants cannot hammer the
   * source. `0` turns it off.
   * @defaultValue `1_000`
   */
  readonly notFoundTtlMs?: number;
  /** Receives `key:loaded`, `key:rotated`, `key:invalidated` and `key:stale` events. */
  readonly onEvent?: OnceKeyEventListener;
  /**
   * The clock, in milliseconds.
   * @defaultValue `Date.now`
   */
  readonly now?: () => number;
}

/** {@link CachedOptions} checked, with every default filled in. */
export interface ResolvedCachedOptions {
  readonly maxTenants: number;
  readonly maxUnknownTenants: number;
  /** `Infinity` without a TTL. */
  readonly ttlMs: number;
  readonly ttlJitter: number;
  readonly staleIfErrorMs: number;
  readonly retryAfterErrorMs: number;
  readonly notFoundTtlMs: number;
  readonly onEvent: OnceKeyEventListener | undefined;
  readonly now: () => number;
}

/**
 * Checks every option of `cached` and fills in the defaults: a TypeError for options or a callback of the wrong
 * type, a RangeError naming the option for a value out of range. Each error names the option in its `option`
 * property too, so a factory that passes options through can report them as its own.
 */
export function resolveCachedOptions(options: CachedOptions): ResolvedCachedOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("cached: options must be an object (CachedOptions) or left out.");
  }
  const ttlJitter = options.ttlJitter ?? 0;
  if (!(typeof ttlJitter === "number" && ttlJitter >= 0 && ttlJitter < 1)) {
    throw optionError(RangeError, "ttlJitter", "cached: ttlJitter must be a number in [0, 1).");
  }
  return {
    maxTenants: tenantBound(options.maxTenants ?? 10_000, "maxTenants"),
    maxUnknownTenants: tenantBound(options.maxUnknownTenants ?? 1_000, "maxUnknownTenants"),
    ttlMs: options.ttlMs === undefined ? Infinity : positive(options.ttlMs, "ttlMs"),
    ttlJitter,
    staleIfErrorMs: nonNegative(options.staleIfErrorMs ?? 3_600_000, "staleIfErrorMs"),
    retryAfterErrorMs: nonNegative(options.retryAfterErrorMs ?? 1_000, "retryAfterErrorMs"),
    notFoundTtlMs: nonNegative(options.notFoundTtlMs ?? 1_000, "notFoundTtlMs"),
    onEvent: optionalFunction(options.onEvent, "onEvent"),
    now: optionalFunction(options.now, "now") ?? Date.now,
  };
}

/** The most tenants a cache may hold: lru-cache reserves memory for every slot up front (~28 bytes each). */
const MAX_TENANTS = 1_000_000;

function tenantBound(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_TENANTS) {
    throw optionError(
      RangeError,
      name,
      `cached: ${name} must be an integer from 1 to ${MAX_TENANTS.toLocaleString("en-US")}, got ${String(value)}.`,
    );
  }
  return value;
}

function positive(value: number, name: string): number {
  if (!(typeof value === "number" && value > 0)) {
    throw optionError(RangeError, name, `cached: ${name} must be a positive number of milliseconds.`);
  }
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!(typeof value === "number" && value >= 0)) {
    throw optionError(RangeError, name, `cached: ${name} must be zero or a positive number of milliseconds.`);
  }
  return value;
}

function optionalFunction<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw optionError(TypeError, name, `cached: ${name} must be a function.`);
  }
  return value;
}

/** An error about one option, which names it in `option`. */
function optionError(
  type: typeof RangeError | typeof TypeError,
  option: string,
  message: string,
): Error & { option: string } {
  return Object.assign(new type(message), { option });
}
