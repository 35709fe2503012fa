import type { WindowLimit } from "./pacing-store.js";

/** The share of a window added to each request's hold, for the jitter between a client's clock and a server's. */
const MARGIN = 0.01;

/**
 * A window budget's limit: at most `requests` in any `windowMs`, each request holding its slot 1 % longer than
 * the window (3 s of OnceHub's 5 minutes) for the jitter between the client's clock and the server's view of
 * arrivals.
 *
 * @param requests - The most requests in any window.
 * @param windowMs - The window's length.
 * @example
 * ```ts
 * const vault: Budget = { name: `vault:${host}`, limit: windowLimit(4_000, 10_000) }; // Key Vault's secret reads
 * ```
 */
export function windowLimit(requests: number, windowMs: number): WindowLimit {
  return { kind: "window", requests, windowMs, holdMs: windowMs * (1 + MARGIN) };
}
