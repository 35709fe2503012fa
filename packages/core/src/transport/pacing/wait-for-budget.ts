import { performance } from "node:perf_hooks";
import { RateLimitError } from "../../errors/once-hub-api-error.js";
import { describeLimit } from "./describe-limit.js";
import { processPacingStore } from "./memory-pacing.js";
import type { Budget, PacingGrant, PacingStore } from "./pacing-store.js";
import { sharedPacing } from "./shared-pacing.js";

/**
 * Options of {@link waitForBudget}.
 *
 * @example
 * ```ts
 * const options: WaitForBudgetOptions = { store, signal: AbortSignal.timeout(5_000) };
 * ```
 */
export interface WaitForBudgetOptions {
  /**
   * The store that keeps the budget: pass the one the OnceHub client uses (`redisPacing(…)`) to share it with the
   * fleet.
   * @defaultValue the process's in-process store
   */
  readonly store?: PacingStore;
  /** Ends the wait with its reason (a timeout reason: a `RateLimitError` saying how long it would have waited). */
  readonly signal?: AbortSignal;
  /** A `performance.now()` time: a wait estimated to end later is refused at once with a `RateLimitError`. */
  readonly deadlineAt?: number;
}

/**
 * A slot taken from a budget: say when its request reached the wire, and when it ended.
 *
 * @example
 * ```ts
 * const slot: BudgetSlot = await waitForBudget(budget, { store });
 * slot.started();
 * slot.finished();
 * ```
 */
export interface BudgetSlot {
  /** The request reached the wire now. */
  started(): void;
  /**
   * The request's exchange ended now: its answer came back (`sent`, the default; a window slot is held from now
   * for the window), or it never left (the slot is given back where the budget allows it).
   */
  finished(sent?: boolean): void;
}

/**
 * Takes one request from a named budget, waiting in the store's queue for it (callers of one budget in order).
 * For readers of services other than OnceHub that a fleet must pace together, such as Key Vault's 4,000 secret
 * reads per 10 s per vault: every process that takes from `vault:<host>` in the same shared store stays within it.
 *
 * @param budget - The budget, e.g. `{ name: "vault:myvault.vault.azure.net", limit: windowLimit(4_000, 10_000) }`.
 * @param options - {@link WaitForBudgetOptions}.
 * @throws `RateLimitError` (code `RATE_LIMIT`) when the deadline would pass, or the signal's timeout fired, first.
 * @example
 * ```ts
 * const slot = await waitForBudget({ name: `vault:${host}`, limit: windowLimit(4_000, 10_000) }, { store, signal });
 * slot.started();
 * try {
 *   return await client.getSecret(name, { abortSignal: signal });
 * } finally {
 *   slot.finished(); // or slot.finished(false) for a read that never went out
 * }
 * ```
 */
export async function waitForBudget(budget: Budget, options: WaitForBudgetOptions = {}): Promise<BudgetSlot> {
  const store = options.store ?? processPacingStore;
  const { scheduler } = sharedPacing(store);
  const budgets = [budget];
  let grant: PacingGrant | undefined;
  let refusal;
  // An aborted signal or a passed deadline takes nothing: the wait below refuses it at once.
  const over =
    options.signal?.aborted === true ||
    (options.deadlineAt !== undefined && performance.now() > options.deadlineAt);
  if (!over && scheduler.mayGoNow(budget.name, budgets)) {
    const answer = await scheduler.take(budget.name, budgets);
    if (answer.granted) grant = answer;
    else refusal = answer;
  }
  grant ??= await scheduler.wait(budget.name, budgets, refusal, {
    signal: options.signal,
    deadlineAt: options.deadlineAt,
    onQueued: () => undefined,
    onMissed: (missed, cause) => {
      const limit = missed.budget === budget.name ? ` (${describeLimit(budget.limit)})` : "";
      return new RateLimitError(
        `A request was not sent: it would have waited about ${missed.remainingMs} ms more for the ` +
          `${missed.budget} budget${limit}, past its ${cause === undefined ? "deadline" : "timeout"}.`,
        { status: 429, retryAfterMs: missed.remainingMs, ...(cause === undefined ? {} : { cause }) },
      );
    },
  });
  const taken = grant;
  return {
    started: () => {
      store.started?.(taken);
      scheduler.settled(budget.name);
    },
    finished: (sent = true) => {
      store.finished?.(taken, sent);
      if (!sent) scheduler.settled(budget.name);
    },
  };
}
