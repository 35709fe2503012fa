import { ConfigError } from "../errors/config-error.js";
import { describeOptionValue } from "./describe-option-value.js";

/**
 * The longest delay a Node timer holds (about 24.8 days); a longer one fires after 1 ms instead.
 *
 * @example
 * ```ts
 * setTimeout(refresh, Math.min(refreshInMs, MAX_TIMER_MS)).unref();
 * ```
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What {@link numberOption} accepts.
 *
 * @example
 * ```ts
 * const rule: NumberOptionRule = { min: 1, max: 1_024, integer: true };
 * const connections = numberOption(options.connections, "connections", 64, rule, "OnceHubClient");
 * ```
 */
export interface NumberOptionRule {
  /** The smallest value allowed. @defaultValue `0` */
  readonly min?: number;
  /** Whether `min` itself is refused (a positive number). @defaultValue `false` */
  readonly exclusiveMin?: boolean;
  /** The largest value allowed. @defaultValue {@link MAX_TIMER_MS} */
  readonly max?: number;
  /** Whether only whole numbers are allowed. @defaultValue `false` */
  readonly integer?: boolean;
  /** The unit named in the message, e.g. `ms`. */
  readonly unit?: string;
}

/**
 * Returns a numeric option, or its default when it is absent; throws a {@link ConfigError} naming the option, the
 * range and what it got (a string is described, never repeated: it could be a key pasted in the wrong place).
 *
 * @param value - The option as given.
 * @param name - Its path, e.g. `timeouts.headersMs`.
 * @param defaultValue - Used when `value` is `undefined`.
 * @param rule - {@link NumberOptionRule}.
 * @param where - What the option belongs to, e.g. `OnceHubClient`.
 * @example
 * ```ts
 * const connections = numberOption(options.connections, "connections", 64, { min: 1, max: 1024, integer: true }, "OnceHubClient");
 * ```
 */
export function numberOption(
  value: unknown,
  name: string,
  defaultValue: number,
  rule: NumberOptionRule,
  where: string,
): number {
  if (value === undefined) return defaultValue;
  const { min = 0, exclusiveMin = false, max = MAX_TIMER_MS, integer = false, unit } = rule;
  const ok =
    typeof value === "number" &&
    (integer ? Number.isInteger(value) : Number.isFinite(value)) &&
    (exclusiveMin ? value > min : value >= min) &&
    value <= max;
  if (ok) return value;
  const kind = integer ? "a whole number" : "a number";
  const range = exclusiveMin ? `above ${min} and at most ${max}` : `from ${min} to ${max}`;
  throw new ConfigError(
    `${where}: ${name} must be ${kind} ${range}${unit === undefined ? "" : ` (${unit})`}, got ${describeOptionValue(value)}.`,
    { variable: name },
  );
}
