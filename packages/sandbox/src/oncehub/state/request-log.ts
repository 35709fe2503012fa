import type { BoundedLogView } from "../../state/bounded-log.js";
import type { FaultKind } from "./fault-injector.js";

/** One request as the sandbox saw it. Never holds the raw key: only its fingerprint. */
export interface LoggedRequest {
  /** The `Request-Id` sent back (`req_…`). */
  readonly requestId: string;
  /** When the request arrived, in ms since the epoch. */
  readonly time: number;
  readonly method: string;
  /** The path without the query, e.g. `/v2/bookings`. */
  readonly path: string;
  /** The query parameters (the last value wins when one is repeated). */
  readonly query: Readonly<Record<string, string>>;
  /** The account whose active key was presented, else `null`. */
  readonly accountId: string | null;
  /** The fingerprint of whatever `API-Key` was presented (active or not), else `null`. */
  readonly fingerprint: string | null;
  /** The status sent, or `null` when no response was sent (a `reset` fault). */
  readonly status: number | null;
  /** `true` when the request reached the plain-HTTP listener. */
  readonly plain: boolean;
  /** The fault injected into this request, if any. */
  readonly fault: FaultKind | null;
  /** Which rate limit answered it 429, if one did: `"account"` (per account) or `"ip"` (per remote address). */
  readonly limitedBy: RateLimitKind | null;
}

/** The sandbox's two rate limits: OnceHub's per-account one and its per-IP one. */
export type RateLimitKind = "account" | "ip";

/** How many requests each rate limit refused with a 429 since the sandbox started (injected 429s not counted). */
export interface RateLimitCounts {
  readonly account: number;
  readonly ip: number;
}

/**
 * The log of requests the sandbox received, in the order their responses started (a delayed request is logged
 * when it is answered), bounded (`requestLogLimit`) so a long benchmark cannot exhaust memory.
 *
 * @example
 * ```ts
 * sandbox.requests.clear();
 * await request(`${sandbox.baseUrl}/test`, { headers: { "API-Key": key }, dispatcher });
 * expect(sandbox.requests.last()).toMatchObject({ path: "/v2/test", status: 200, fingerprint: keyFingerprint(key) });
 * ```
 */
export type RequestLog = BoundedLogView<LoggedRequest>;
