import { quotableConfigValue } from "../config/quotable-config-value.js";
import { ConfigError } from "../errors/config-error.js";
import { describeOptionValue } from "./describe-option-value.js";

/**
 * Checks that `options` is an object (or absent) whose own property names are all in `known`; otherwise throws a
 * {@link ConfigError} that names the options object, the unknown option and the nearest known name, so
 * `retry: { maxAttempt: 3 }` is a clear error at start-up instead of a setting silently ignored.
 *
 * Properties whose value is `undefined` are allowed, whatever their name is not: `{ ...defaults, x: undefined }`
 * is a common way to leave an option out. A name that could be a key pasted as a property is described, not
 * repeated.
 *
 * @param options - The options object as given; `undefined` passes.
 * @param known - Every option name it may hold.
 * @param where - What the options belong to, with the path of a nested object: `fromFile`, `OnceHubClient retry`.
 * @param path - The nested object's path, prefixed to the option in `ConfigError.variable` (`retry.maxAttempt`).
 * @throws {@link @oncekey/core!ConfigError | ConfigError} with `variable` the option's path.
 * @example
 * ```ts
 * checkOptionNames(options.retry, ["maxAttempts", "baseDelayMs", "maxDelayMs", "maxElapsedMs"], "OnceHubClient", "retry");
 * // ConfigError: OnceHubClient: unknown option retry.maxAttempt. Did you mean retry.maxAttempts? …
 * ```
 */
export function checkOptionNames<T>(
  options: T,
  known: readonly string[],
  where: string,
  path?: string,
): asserts options is NonNullable<T> | (T & undefined) {
  if (options === undefined) return;
  const prefix = path === undefined ? "" : `${path}.`;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ConfigError(
      `${where}: ${path ?? "the options"} must be an object, got ${describeOptionValue(options)}.`,
      { variable: path ?? "options" },
    );
  }
  for (const name of Object.keys(options)) {
    if (known.includes(name) || (options as Record<string, unknown>)[name] === undefined) continue;
    const shown = quotableConfigValue(name, "name");
    const nearest = shown === undefined ? undefined : nearestName(name, known);
    throw new ConfigError(
      `${where}: unknown option ${shown === undefined ? `(a name of ${name.length} characters)` : `${prefix}${shown}`}.` +
        (nearest === undefined ? "" : ` Did you mean ${prefix}${nearest}?`) +
        ` ${path === undefined ? "The options are" : `The options of ${path} are`}: ${known.join(", ")}.`,
      { variable: shown === undefined ? (path ?? "options") : `${prefix}${shown}` },
    );
  }
}

/** The known name closest to `name` (case ignored), if it is close enough to be a likely typo. */
function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Levenshtein distance, for names of a few dozen characters. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min(
          (previous[j] as number) + 1,
          (current[j - 1] as number) + 1,
          (previous[j - 1] as number) + cost,
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
