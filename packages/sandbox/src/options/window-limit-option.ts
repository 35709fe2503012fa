import { SlidingWindowLimit } from "../state/sliding-window-limit.js";
import { optionsObject } from "./check-option-names.js";
import { shownValue } from "./shown-value.js";

/** How a limit of `requests` per `windowMs` is given: either field left out takes the documented default. */
export interface WindowLimitInput {
  readonly requests?: number;
  readonly windowMs?: number;
}

const MAX_REQUESTS = 100_000;
const MAX_WINDOW_MS = 86_400_000;

/**
 * Checks a `{ requests, windowMs } | false` option and builds its limit.
 *
 * @param where - how messages name the option, e.g. `"startSandbox: ipRateLimit"`
 * @param value - the option as given; `undefined` and `false` mean no limit
 * @param defaults - what a field left out takes (the service's documented limit)
 * @returns the limit, or `undefined` for none
 * @throws TypeError or RangeError naming the field and what it takes
 * @example
 * ```ts
 * windowLimitOption("startSandbox: ipRateLimit", { requests: 60, windowMs: 10_000 }, ONCEHUB_PER_IP);
 * ```
 */
export function windowLimitOption(
  where: string,
  value: WindowLimitInput | false | undefined,
  defaults: Required<WindowLimitInput>,
): SlidingWindowLimit | undefined {
  if (value === undefined || value === false) return undefined;
  if (typeof value !== "object" || value === null)
    throw new TypeError(`${where} is { requests, windowMs } or false, got ${shownValue(value)}.`);
  const { requests = defaults.requests, windowMs = defaults.windowMs } = optionsObject(where, value, [
    "requests",
    "windowMs",
  ]);
  if (!Number.isInteger(requests) || requests < 1 || requests > MAX_REQUESTS)
    throw new RangeError(
      `${where}: requests must be an integer from 1 to ${MAX_REQUESTS}, got ${shownValue(requests)}.`,
    );
  if (!Number.isInteger(windowMs) || windowMs < 1 || windowMs > MAX_WINDOW_MS) {
    throw new RangeError(
      `${where}: windowMs must be whole milliseconds from 1 to ${MAX_WINDOW_MS}, got ${shownValue(windowMs)}.`,
    );
  }
  return new SlidingWindowLimit(requests, windowMs);
}
