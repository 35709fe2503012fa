/** The longest a Node.js timer can wait; a longer delay would fire after 1 ms instead. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Checks that a factory's `options` is an object (or absent) and returns it, so that `fromEnv(null)` says what is
 * wrong instead of failing on a property read.
 *
 * @throws TypeError naming the factory.
 */
export function checkOptions<T extends object>(
  options: T | undefined,
  factory: string,
): T | Record<string, never> {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(
      `${factory}: options must be an object, e.g. ${factory}({ variable: "ONCEHUB_API_KEY" }).`,
    );
  }
  return options;
}

/** Checks an optional object option (`env`, `cache`). @throws TypeError naming it. */
export function checkObject(value: unknown, name: string, factory: string): void {
  if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value))) {
    throw new TypeError(`${factory}: ${name} must be an object.`);
  }
}

/** Checks an optional boolean option and fills in its default. @throws TypeError naming it. */
export function checkBoolean(value: unknown, fallback: boolean, name: string, factory: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new TypeError(`${factory}: ${name} must be true or false.`);
  return value;
}

/**
 * Checks an optional duration and fills in its default: a number from 0 to what a timer can wait (about 24 days).
 *
 * @throws TypeError when it is not a number; RangeError when it is out of range.
 */
export function checkMilliseconds(value: unknown, fallback: number, name: string, factory: string): number {
  const ms = value ?? fallback;
  if (typeof ms !== "number") throw new TypeError(`${factory}: ${name} must be a number of milliseconds.`);
  if (!(ms >= 0 && ms <= MAX_TIMER_MS)) {
    throw new RangeError(`${factory}: ${name} must be from 0 to ${MAX_TIMER_MS} milliseconds.`);
  }
  return ms;
}
