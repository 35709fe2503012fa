import type { BudgetLimit } from "./pacing-store.js";

/**
 * A budget's limit in words, for messages: `5 requests per second, burst 5`, `200 requests per 300000 ms`.
 *
 * @param limit - The limit.
 */
export function describeLimit(limit: BudgetLimit): string {
  return limit.kind === "rate"
    ? `${limit.perSecond} requests per second, burst ${limit.burst}`
    : `${limit.requests} requests per ${limit.windowMs} ms`;
}
