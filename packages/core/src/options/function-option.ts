import { ConfigError } from "../errors/config-error.js";
import { describeOptionValue } from "./describe-option-value.js";

/**
 * Returns a function option (or `undefined` when absent); throws a {@link ConfigError} naming the option when it is
 * anything else.
 *
 * @param value - The option as given.
 * @param name - Its path, e.g. `onEvent`.
 * @param what - What the function does, for the message: `receives each event`.
 * @param where - What the option belongs to, e.g. `OnceHubClient`.
 * @typeParam F - The function's type, which the option is returned as (only its being a function is checked).
 * @example
 * ```ts
 * const onEvent = functionOption<OnceKeyEventListener>(options.onEvent, "onEvent", "receives each event", "fromFile");
 * ```
 */
export function functionOption<F extends (...args: never[]) => unknown>(
  value: unknown,
  name: string,
  what: string,
  where: string,
): F | undefined {
  if (value === undefined || typeof value === "function") return value as F | undefined;
  throw new ConfigError(
    `${where}: ${name} must be a function that ${what}, got ${describeOptionValue(value)}.`,
    { variable: name },
  );
}
