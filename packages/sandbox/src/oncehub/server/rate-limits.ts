import { performance } from "node:perf_hooks";
import type { SlidingWindowLimit } from "../../state/sliding-window-limit.js";
import type { ApiResult } from "../api/api-result.js";
import { rateLimited } from "../api/oncehub-errors.js";
import type { AccountRecord } from "../state/account-store.js";
import type { RateLimitCounts, RateLimitKind } from "../state/request-log.js";

/** A 429 from one of the limits, and which one. */
export interface RateLimitRefusal {
  readonly result: ApiResult;
  readonly limitedBy: RateLimitKind;
}

/**
 * The sandbox's two rate limits, OnceHub's per-account one (each account's token bucket) and its per-IP one (a
 * sliding window per remote address), with one 429 for both, one `Retry-After` rule, and a count of what each
 * refused.
 *
 * @example
 * ```ts
 * const refusal = limits.byAddress(req.socket) ?? limits.byAccount(account);
 * ```
 */
export class SandboxRateLimits {
  readonly #ip: SlidingWindowLimit | undefined;
  readonly #retryAfter: number | boolean;
  readonly #counts = { account: 0, ip: 0 };
  /** The counts, updated in place (so `sandbox.rateLimited` reads live and prints as plain numbers). */
  readonly counts: RateLimitCounts = this.#counts;

  /**
   * @param ip - the per-IP limit, or `undefined` for none
   * @param retryAfter - `false`: no `Retry-After`; `true`: the seconds until a request would pass; a number: that
   */
  constructor(ip: SlidingWindowLimit | undefined, retryAfter: number | boolean) {
    this.#ip = ip;
    this.#retryAfter = retryAfter;
  }

  /** Counts a request from the socket's remote address against the per-IP limit; a refusal when it is over. */
  byAddress(socket: { readonly remoteAddress?: string | undefined }): RateLimitRefusal | undefined {
    if (this.#ip === undefined) return undefined;
    // A monotonic clock: a wall-clock step back must not let a burst through, nor a step forward block one.
    const waitMs = this.#ip.take(socket.remoteAddress ?? "", performance.now());
    return waitMs === 0 ? undefined : this.#refuse("ip", waitMs);
  }

  /** Takes a token from the account's bucket; a refusal when it is empty. */
  byAccount(account: AccountRecord): RateLimitRefusal | undefined {
    const waitMs = account.bucket?.take(Date.now()) ?? 0;
    return waitMs === 0 ? undefined : this.#refuse("account", waitMs);
  }

  #refuse(limitedBy: RateLimitKind, waitMs: number): RateLimitRefusal {
    this.#counts[limitedBy] += 1;
    if (this.#retryAfter === false) return { result: rateLimited(), limitedBy };
    const seconds = this.#retryAfter === true ? Math.max(1, Math.ceil(waitMs / 1000)) : this.#retryAfter;
    return { result: { ...rateLimited(), headers: { "Retry-After": String(seconds) } }, limitedBy };
  }
}
