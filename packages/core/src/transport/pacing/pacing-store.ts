import type { OnceKeyEventListener } from "../../events/once-key-event.js";

/**
 * A sustained rate with a burst (a token bucket; GCRA on a server): OnceHub's per-account limit.
 *
 * @example
 * ```ts
 * const perAccount: RateLimit = { kind: "rate", perSecond: 5, burst: 5 };
 * ```
 */
export interface RateLimit {
  /** Tells a {@link BudgetLimit} that is a rate from one that is a window. */
  readonly kind: "rate";
  /** Sustained requests per second. */
  readonly perSecond: number;
  /** Requests that may go at once from a rested budget. */
  readonly burst: number;
}

/**
 * At most `requests` in any window of `windowMs` (a sliding-window log): OnceHub's per-IP limit, Key Vault's
 * per-vault limit.
 *
 * @example
 * ```ts
 * const perIp: WindowLimit = { kind: "window", requests: 200, windowMs: 300_000, holdMs: 303_000 };
 * ```
 */
export interface WindowLimit {
  /** Tells a {@link BudgetLimit} that is a window from one that is a rate. */
  readonly kind: "window";
  /** The most requests in any one window. */
  readonly requests: number;
  /** The window's length, in ms, as the server counts it. */
  readonly windowMs: number;
  /**
   * How long each request holds its slot: the window plus a margin (1 %) for the jitter between the client's
   * clock and the server's view of arrivals. A store counts with this, not `windowMs`.
   */
  readonly holdMs: number;
}

/**
 * A budget's limit: a rate with a burst, or a count per sliding window.
 *
 * @example
 * ```ts
 * const perAccount: BudgetLimit = { kind: "rate", perSecond: 5, burst: 5 };
 * const perIp: BudgetLimit = windowLimit(200, 300_000);
 * ```
 */
export type BudgetLimit = RateLimit | WindowLimit;

/**
 * One budget a request takes from: its name (the store's key) and its limit.
 *
 * Names: `account` (a single-tenant client's account), `account:<tenant>`, `egress` (every request leaving
 * through the process's source IP), `vault:<host>` (a Key Vault's reads). A store keeps one state per name.
 *
 * @example
 * ```ts
 * const budget: Budget = { name: "account:acme", limit: { kind: "rate", perSecond: 5, burst: 5 } };
 * ```
 */
export interface Budget {
  /** The budget's name, under which a store keeps its state: `account:acme`, `egress`, `vault:<host>` … */
  readonly name: string;
  /** How much the budget allows: a rate with a burst, or a count per window. */
  readonly limit: BudgetLimit;
}

/**
 * A store's yes: the request may go now.
 *
 * @example
 * ```ts
 * const grant: PacingGrant = { granted: true, slackMs: 0, handle: { member: "a1b2:3f" } };
 * ```
 */
export interface PacingGrant {
  /** Tells a grant from a {@link PacingRefusal}: the request took from every budget and may go. */
  readonly granted: true;
  /**
   * How much later than now the request may reach the server without moving a server-side bucket's schedule
   * (0 after a pause, more within a burst).
   */
  readonly slackMs: number;
  /** What the store needs to settle the request later (`started`, `finished`); opaque to core. */
  readonly handle?: unknown;
}

/**
 * A store's no: nothing was taken.
 *
 * @example
 * ```ts
 * const refusal: PacingRefusal = { granted: false, budget: "egress", retryInMs: 1_500 };
 * ```
 */
export interface PacingRefusal {
  /** Tells a refusal from a {@link PacingGrant}: nothing was taken, the request waits. */
  readonly granted: false;
  /** The name of the budget that refused (the first one, when several did). */
  readonly budget: string;
  /** When trying again may succeed, in ms; `Infinity` when only a `started`/`finished` can free it. */
  readonly retryInMs: number;
}

/**
 * A store's answer to a take.
 *
 * @example
 * ```ts
 * const answer: PacingAnswer = await store.take(budgets);
 * if (!answer.granted) console.log(`${answer.budget} has room in ${answer.retryInMs} ms`);
 * ```
 */
export type PacingAnswer = PacingGrant | PacingRefusal;

/**
 * Where pacing budgets live: in the process by default, or shared by every process of a fleet
 * (`redisPacing` from `@oncekey/redis`). Core queues the calls, serves the tenants in turn and asks the store
 * for the head of each queue; the store only decides, atomically, whether one request may take from every budget
 * it needs.
 *
 * Contract:
 * - `take` takes one request from each budget, or from none: all or nothing. It answers at once when it can
 *   (the in-process store answers synchronously); a shared store must settle within its own time limit and never
 *   reject: when its backend fails it answers from its local share of the budgets instead, and says so with a
 *   `pacing:fallback` event.
 * - `started` is called when a granted request reached the wire, `finished` when its exchange ended: its answer
 *   came back (`sent`), or it never left (a window slot is then free again). A window budget's request holds its
 *   slot until its answer came back, plus the window: the server counted it at some moment before that, so no
 *   jitter between the client's clock and the server's can put two of them in one window. `drain` when
 *   OnceHub answered 429 for a request that took from `budget`.
 * - `listen` registers a client's event listener for the store's own events (`pacing:fallback`,
 *   `pacing:recovered`); it returns the function that removes it.
 *
 * @example
 * ```ts
 * const client = new OnceHubClient({ keys, pacing: { store: redisPacing({ url: process.env.REDIS_URL }) } });
 * ```
 */
export interface PacingStore {
  /** A short name for events and messages, e.g. `memory`, `redis`. */
  readonly name: string;
  /** Takes one request from every budget, or from none. */
  take(budgets: readonly Budget[]): PacingAnswer | Promise<PacingAnswer>;
  /** A granted request reached the wire now. */
  started?(grant: PacingGrant): void;
  /** A granted request's exchange ended: its answer came back (`sent`), or it never reached the wire. */
  finished?(grant: PacingGrant, sent: boolean): void;
  /** OnceHub answered 429 to a request that took from `budget`: hold its next requests back. */
  drain?(budget: Budget): void;
  /** Registers a listener for the store's own events; returns its removal. */
  listen?(listener: OnceKeyEventListener): () => void;
  /** Releases the store's connections and timers. */
  close?(): Promise<void>;
}
