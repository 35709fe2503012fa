import { RateLimitError } from "../../errors/once-hub-api-error.js";
import { emitEvent, isObserved } from "../../events/emit-event.js";
import type { OnceKeyEventListener } from "../../events/once-key-event.js";
import type { ApiKey } from "../../key/api-key.js";
import { redactKey } from "../redact-key.js";
import { pathOf } from "../request-target.js";
import type { TransportCall, TransportConfig } from "../transport-config.js";
import { describeLimit } from "./describe-limit.js";
import type { MissedTurn, PacingScheduler, QueuedCall } from "./pacing-scheduler.js";
import type { Budget, PacingAnswer, PacingGrant, PacingStore, RateLimit } from "./pacing-store.js";
import { sharedPacing } from "./shared-pacing.js";

/** Past this many fingerprints or accounts remembered, the oldest are forgotten. */
const REMEMBERED = 10_000;

/** A request the pacing let go: tell it when the request reaches the wire, or that it never will. */
export interface PacingTicket {
  /** The request reached the wire now. */
  readonly started: () => void;
  /** The request's exchange ended now: its answer came back (`sent`), or it never reached the wire. */
  finished(sent: boolean): void;
}

/** The budgets of a client tree, resolved from its `pacing` option. */
export interface PacingLimits {
  readonly store: PacingStore;
  /** The per-account budget's limit, or undefined when it is off. */
  readonly account: RateLimit | undefined;
  /** The per-egress budget, or undefined when it is off. */
  readonly egress: Budget | undefined;
}

/**
 * A client tree's pacing: which budgets a call takes from, the store that keeps them and the fair queue in front
 * of it (shared by every client of the store).
 *
 * The account: OnceHub counts per account, and a client does not know which account a key belongs to; the
 * tenant is the unit a multi-tenant app gives each account, and a single-tenant client has one account. So a
 * call's account is its tenant (`account:<tenant>`, or `account` without one), and a key keeps the account it was
 * first seen under, so a key shared by several tenant ids is counted once. During a rotation the old and the new
 * key of a tenant share its budget.
 */
export class ClientPacing {
  readonly #store: PacingStore;
  readonly #scheduler: PacingScheduler;
  readonly #accounts: Map<string, string>;
  readonly #account: RateLimit | undefined;
  readonly #egress: Budget | undefined;
  /** The budgets of each account, built once. */
  readonly #budgets = new Map<string, readonly Budget[]>();
  readonly #unlisten: (() => void)[] = [];

  /**
   * @param limits - The budgets and their store.
   * @param onEvent - The client's listener, registered for the store's own events and its failures.
   */
  constructor(limits: PacingLimits, onEvent: OnceKeyEventListener | undefined) {
    this.#store = limits.store;
    const { scheduler, accounts } = sharedPacing(limits.store);
    this.#scheduler = scheduler;
    this.#accounts = accounts;
    this.#account = limits.account;
    this.#egress = limits.egress;
    if (onEvent !== undefined) {
      this.#unlisten.push(scheduler.listen(onEvent));
      const unlisten = limits.store.listen?.(onEvent);
      if (unlisten !== undefined) this.#unlisten.push(unlisten);
    }
  }

  /**
   * A ticket for the call's next request: at once when its budgets have room and nobody it would overtake waits,
   * else a promise of one after its turn in the queue. Rejects with a `RateLimitError` when the call's deadline
   * would pass (or its timeout signal fires) before its turn, with the signal's reason when it aborts, with a
   * `NetworkError` when the client closes.
   *
   * @param config - The client tree's transport.
   * @param call - The call.
   * @param key - The key it sends.
   */
  take(config: TransportConfig, call: TransportCall, key: ApiKey): PacingTicket | Promise<PacingTicket> {
    const account = this.#accountOf(call.tenant, key.fingerprint);
    const budgets = this.#budgetsOf(account);
    if (!this.#scheduler.mayGoNow(account, budgets))
      return this.#wait(config, call, key, account, budgets, undefined);
    const answer = this.#scheduler.take(account, budgets);
    if (answer instanceof Promise) {
      // A shared store's answer is a wait of the call like any other: its signal, deadline and close() end it.
      return config.waits
        .run(
          call.signal,
          this.#what(call, key),
          (signal) => this.#answerOf(answer, signal, account),
          call.deadlineAt,
        )
        .then((settled) =>
          settled.granted
            ? this.#ticket(account, settled)
            : this.#wait(config, call, key, account, budgets, settled),
        );
    }
    return answer.granted
      ? this.#ticket(account, answer)
      : this.#wait(config, call, key, account, budgets, answer);
  }

  /** OnceHub answered 429 to the call: its account's next requests are held back. */
  drain(call: TransportCall, key: ApiKey): void {
    const account = this.#accountOf(call.tenant, key.fingerprint);
    for (const budget of this.#budgetsOf(account)) if (budget.name === account) this.#store.drain?.(budget);
  }

  /** The client closed: its listener no longer receives the store's events. */
  close(): void {
    for (const unlisten of this.#unlisten.splice(0)) unlisten();
  }

  async #wait(
    config: TransportConfig,
    call: TransportCall,
    key: ApiKey,
    account: string,
    budgets: readonly Budget[],
    refusal: Extract<PacingAnswer, { granted: false }> | undefined,
  ): Promise<PacingTicket> {
    const what = this.#what(call, key);
    // A turn estimated past the deadline is refused at once (RateLimitError); a wait whose estimate was short
    // ends at the deadline like any other wait of the call (TimeoutError, phase total).
    const grant = await config.waits.run(
      call.signal,
      what,
      (signal) =>
        this.#scheduler.wait(account, budgets, refusal, {
          signal,
          deadlineAt: call.deadlineAt,
          onQueued: (queued) => this.#reportPaced(config, call, key, queued),
          onMissed: (missed, cause) => this.#missed(what, call, budgets, missed, cause),
        }),
      call.deadlineAt,
    );
    return this.#ticket(account, grant);
  }

  #what(call: TransportCall, key: ApiKey): string {
    return `${call.method} ${redactKey(pathOf(call.target), key)}`;
  }

  /** The store's answer, or `signal`'s reason once it aborts; a slot granted after that is given back. */
  #answerOf(answer: Promise<PacingAnswer>, signal: AbortSignal, account: string): Promise<PacingAnswer> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      void answer.then((settled) => {
        signal.removeEventListener("abort", onAbort);
        if (!signal.aborted) return resolve(settled);
        if (settled.granted) this.#ticket(account, settled).finished(false);
      });
    });
  }

  #ticket(account: string, grant: PacingGrant): PacingTicket {
    const store = this.#store;
    const scheduler = this.#scheduler;
    return {
      started: () => {
        store.started?.(grant);
        scheduler.settled(account);
      },
      finished: (sent) => {
        store.finished?.(grant, sent);
        if (!sent) scheduler.settled(account);
      },
    };
  }

  #accountOf(tenant: string | undefined, fingerprint: string): string {
    const known = this.#accounts.get(fingerprint);
    if (known !== undefined) return known;
    const account = tenant === undefined ? "account" : `account:${tenant}`;
    if (this.#accounts.size >= REMEMBERED)
      this.#accounts.delete(this.#accounts.keys().next().value as string);
    this.#accounts.set(fingerprint, account);
    return account;
  }

  #budgetsOf(account: string): readonly Budget[] {
    let budgets = this.#budgets.get(account);
    if (budgets === undefined) {
      // The shared budget first: a store names the first budget that refused, and a shared refusal holds everyone.
      const list: Budget[] = [];
      if (this.#egress !== undefined) list.push(this.#egress);
      if (this.#account !== undefined) list.push({ name: account, limit: this.#account });
      budgets = list;
      if (this.#budgets.size >= REMEMBERED) this.#budgets.delete(this.#budgets.keys().next().value as string);
      this.#budgets.set(account, budgets);
    }
    return budgets;
  }

  #reportPaced(config: TransportConfig, call: TransportCall, key: ApiKey, queued: QueuedCall): void {
    if (!isObserved("paced", config.onEvent)) return;
    emitEvent(
      {
        type: "paced",
        time: Date.now(),
        ...(call.tenant === undefined ? {} : { tenant: call.tenant }),
        callId: call.id,
        fingerprint: key.fingerprint,
        waitMs: queued.waitMs,
        budget: queued.budget,
      },
      config.onEvent,
    );
  }

  #missed(
    what: string,
    call: TransportCall,
    budgets: readonly Budget[],
    missed: MissedTurn,
    cause: unknown,
  ): RateLimitError {
    const budget = budgets.find((b) => b.name === missed.budget);
    const limit = budget === undefined ? "" : ` (${describeLimit(budget.limit)})`;
    const kind = missed.budget.startsWith("account") ? "its account's" : `the ${missed.budget}`;
    const waited = missed.waitedMs >= 1 ? `after waiting ${Math.round(missed.waitedMs)} ms, ` : "";
    const end = cause === undefined ? "its deadline" : "its signal's timeout";
    return new RateLimitError(
      `${what} was not sent: ${waited}it would have waited about ${missed.remainingMs} ms more for ${kind} ` +
        `rate budget${limit}, past ${end}. Nothing reached OnceHub; send it later or allow more time.`,
      {
        status: 429,
        retryAfterMs: missed.remainingMs,
        ...(call.tenant === undefined ? {} : { tenant: call.tenant }),
        ...(cause === undefined ? {} : { cause }),
      },
    );
  }
}
