import { performance } from "node:perf_hooks";
import { MAX_TIMER_MS } from "../../options/number-option.js";
import type { Budget, PacingAnswer, PacingGrant, PacingStore } from "./pacing-store.js";

/** A refusal whose wait is unknown (a token held for requests not on the wire yet) is tried again after this. */
const HELD_RETRY_MS = 1_000;

/** A call waiting for its turn. */
interface Waiter {
  readonly budgets: readonly Budget[];
  readonly queue: TenantQueue;
  readonly resolve: (grant: PacingGrant) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly deadlineAt: number | undefined;
  readonly since: number;
  readonly onMissed: WaitOptions["onMissed"];
  onAbort: (() => void) | undefined;
  done: boolean;
}

/** One tenant's (account's) calls, in order. */
interface TenantQueue {
  readonly name: string;
  waiters: Waiter[];
  head: number;
  /** Waiters that have not given up. */
  live: number;
  /** When the tenant's own budget may have room again (`performance.now()`). */
  readyAt: number;
  /** Its estimated wait per own call ahead (the account budget's interval). */
  intervalMs: number;
}

/** Where a call stands when it starts waiting. */
export interface QueuedCall {
  /** The estimated wait, in ms. */
  readonly waitMs: number;
  /** The budget it waits for. */
  readonly budget: string;
}

/** Why a wait was refused or ended before its turn. */
export interface MissedTurn {
  readonly waitedMs: number;
  /** The estimated wait that was left. */
  readonly remainingMs: number;
  readonly budget: string;
}

/** Options of {@link PacingScheduler.wait}. */
export interface WaitOptions {
  /** Ends the wait with its reason, or with `onMissed`'s error when the reason is a timeout. */
  readonly signal: AbortSignal | undefined;
  /** A `performance.now()` time: a wait estimated to end later is refused at once with `onMissed`'s error. */
  readonly deadlineAt: number | undefined;
  /** Called once the call queues, before it waits (the `paced` event). */
  readonly onQueued: (queued: QueuedCall) => void;
  /** The error for a call that would miss, or missed, its deadline or timeout. */
  readonly onMissed: (missed: MissedTurn, cause: unknown) => Error;
}

const isPromise = (value: PacingAnswer | Promise<PacingAnswer>): value is Promise<PacingAnswer> =>
  typeof (value as Promise<PacingAnswer>).then === "function";

const isTimeout = (reason: unknown): boolean =>
  typeof reason === "object" && reason !== null && (reason as { name?: unknown }).name === "TimeoutError";

/**
 * Queues the calls that cannot go at once and serves them fairly: one queue per tenant (its calls in order), the
 * tenants in turn (round robin). When a budget every tenant shares (the egress) is short, each waiting tenant
 * gets one request per round, so one tenant's thousand queued calls never hold another's single call back by more
 * than one slot per waiting tenant. A tenant whose own budget (its account) is short is skipped until it has
 * room, without holding the others.
 *
 * The store decides, for the head of a queue, whether one request may take from all its budgets; this scheduler
 * asks it again when the refusal says room may be back, or when a request settles. One scheduler per store,
 * shared by every client using the store.
 */
export class PacingScheduler {
  readonly #store: PacingStore;
  readonly #queues = new Map<string, TenantQueue>();
  /** Queues with live waiters, served in turn from `#cursor`. */
  #ring: TenantQueue[] = [];
  #cursor = 0;
  #waiting = 0;
  /** A budget shared by every queue refused: nobody goes before this (`performance.now()`). */
  #sharedBlockedUntil = 0;
  /** Whether a shared budget refused and the queues it held have not been served since. */
  #sharedBlocked = false;
  #sharedIntervalMs = 0;
  /** The shared budget that refused last, for estimates. */
  #sharedName = "egress";
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #pumping = false;
  #again = false;

  constructor(store: PacingStore) {
    this.#store = store;
  }

  /**
   * Whether a call of `tenant` may ask the store at once: nobody waits whom it would overtake (its own tenant's
   * calls, or anyone held by a shared budget).
   */
  mayGoNow(tenant: string): boolean {
    if (this.#waiting === 0) return true;
    if (this.#sharedBlocked) return false;
    const queue = this.#queues.get(tenant);
    return queue === undefined || queue.live === 0;
  }

  /** The store's answer for a call that may go now, without queueing (see {@link mayGoNow}). */
  take(budgets: readonly Budget[]): PacingAnswer | Promise<PacingAnswer> {
    return this.#store.take(budgets);
  }

  /**
   * Queues a call of `tenant` for `budgets`; resolves with the store's grant when its turn comes.
   *
   * @param tenant - The queue: the account's budget name.
   * @param budgets - Every budget the call takes from; a refusal by one not named `tenant` holds every queue.
   * @param refusal - The store's refusal when the call asked at once, for the estimate.
   * @param options - {@link WaitOptions}.
   */
  wait(
    tenant: string,
    budgets: readonly Budget[],
    refusal: Extract<PacingAnswer, { granted: false }> | undefined,
    options: WaitOptions,
  ): Promise<PacingGrant> {
    const { signal, deadlineAt } = options;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const now = performance.now();
    const queue = this.#queue(tenant, budgets);
    if (refusal !== undefined) this.#refused(queue, refusal, now);
    const estimate = this.#estimate(queue, now);
    if (deadlineAt !== undefined && now + estimate.waitMs > deadlineAt) {
      if (queue.live === 0) this.#queues.delete(queue.name);
      return Promise.reject(
        options.onMissed({ waitedMs: 0, remainingMs: estimate.waitMs, budget: estimate.budget }, undefined),
      );
    }
    return new Promise<PacingGrant>((resolve, reject) => {
      const waiter: Waiter = {
        budgets,
        queue,
        resolve,
        reject,
        signal,
        deadlineAt,
        since: now,
        onMissed: options.onMissed,
        onAbort: undefined,
        done: false,
      };
      if (signal !== undefined) {
        waiter.onAbort = (): void => {
          if (waiter.done) return;
          const at = performance.now();
          // Estimated before it leaves: its place in the rounds is what it would have waited for.
          const left = this.#estimate(queue, at, this.#ahead(waiter));
          this.#drop(waiter);
          const reason: unknown = signal.reason;
          if (!isTimeout(reason)) return reject(reason);
          reject(
            options.onMissed(
              { waitedMs: at - waiter.since, remainingMs: left.waitMs, budget: left.budget },
              reason,
            ),
          );
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      queue.waiters.push(waiter);
      queue.live++;
      this.#waiting++;
      if (queue.live === 1) this.#ring.push(queue);
      options.onQueued(estimate);
      if (!waiter.done) this.#pump();
    });
  }

  /** True when nobody waits and no timer is armed: nothing keeps the process alive. */
  isIdle(): boolean {
    return this.#waiting === 0 && this.#timer === undefined;
  }

  /** A request of `tenant` settled (reached the wire or never will): its held budget may have room again. */
  settled(tenant: string): void {
    const queue = this.#queues.get(tenant);
    if (queue === undefined || queue.live === 0) return;
    queue.readyAt = 0;
    this.#pump();
  }

  #queue(tenant: string, budgets: readonly Budget[]): TenantQueue {
    let queue = this.#queues.get(tenant);
    if (queue === undefined) {
      queue = { name: tenant, waiters: [], head: 0, live: 0, readyAt: 0, intervalMs: 0 };
      this.#queues.set(tenant, queue);
    }
    // Clients of one store may give one account different limits: the latest call's tells the estimate.
    const own = budgets.find((budget) => budget.name === tenant)?.limit;
    queue.intervalMs = own?.kind === "rate" ? 1000 / own.perSecond : 0;
    for (const budget of budgets) {
      if (budget.name !== tenant && budget.limit.kind === "window") {
        this.#sharedIntervalMs = Math.max(
          this.#sharedIntervalMs,
          budget.limit.holdMs / budget.limit.requests,
        );
      }
    }
    return queue;
  }

  /**
   * The wait of a call joining `queue` now: its own budget's refill for the calls of its tenant ahead, and one
   * shared slot per call served before it in the rounds (at most one per waiting tenant per round).
   */
  #estimate(queue: TenantQueue, now: number, ahead = queue.live): QueuedCall {
    const own = Math.max(0, queue.readyAt - now) + ahead * queue.intervalMs;
    let shared = 0;
    if (this.#sharedBlocked) {
      let slots = ahead;
      for (const other of this.#ring) if (other !== queue) slots += Math.min(other.live, ahead + 1);
      shared = Math.max(0, this.#sharedBlockedUntil - now) + slots * this.#sharedIntervalMs;
    }
    const waitMs = Math.ceil(Math.min(Math.max(own, shared), MAX_TIMER_MS));
    return { waitMs, budget: shared > own ? this.#sharedName : queue.name };
  }

  /** The live calls of its tenant queued before `waiter`. */
  #ahead(waiter: Waiter): number {
    const queue = waiter.queue;
    let ahead = 0;
    for (let i = queue.head; i < queue.waiters.length; i++) {
      const other = queue.waiters[i] as Waiter;
      if (other === waiter) break;
      if (!other.done) ahead++;
    }
    return ahead;
  }

  #refused(queue: TenantQueue, refusal: { budget: string; retryInMs: number }, now: number): void {
    const retry = Number.isFinite(refusal.retryInMs) ? Math.max(1, refusal.retryInMs) : HELD_RETRY_MS;
    if (refusal.budget === queue.name) {
      queue.readyAt = Math.max(queue.readyAt, now + retry);
    } else {
      this.#sharedBlocked = true;
      this.#sharedName = refusal.budget;
      this.#sharedBlockedUntil = Math.max(this.#sharedBlockedUntil, now + retry);
    }
  }

  #drop(waiter: Waiter): void {
    waiter.done = true;
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener("abort", waiter.onAbort);
    const queue = waiter.queue;
    queue.live--;
    this.#waiting--;
    if (queue.live === 0) this.#leaveRing(queue);
    if (this.#waiting === 0) this.#idle();
  }

  #leaveRing(queue: TenantQueue): void {
    const index = this.#ring.indexOf(queue);
    if (index !== -1) {
      this.#ring.splice(index, 1);
      if (index < this.#cursor) this.#cursor--;
    }
    queue.waiters = [];
    queue.head = 0;
    this.#queues.delete(queue.name);
  }

  /** Nobody waits: no timer may keep the process alive. */
  #idle(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#sharedBlocked = false;
  }

  #pump(): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    void this.#serve();
  }

  async #serve(): Promise<void> {
    try {
      do {
        this.#again = false;
        await this.#serveReady();
      } while (this.#again);
    } finally {
      this.#pumping = false;
    }
  }

  /** Serves the queues in turn while the store grants; then arms the timer for when room may be back. */
  async #serveReady(): Promise<void> {
    for (;;) {
      if (this.#waiting === 0) return this.#idle();
      const now = performance.now();
      if (this.#sharedBlocked && this.#sharedBlockedUntil > now) return this.#arm(this.#sharedBlockedUntil);
      const index = this.#nextReady(now);
      if (index === -1) {
        // Every waiting tenant is held by its own budget: a shared budget holds nobody now.
        this.#sharedBlocked = false;
        return this.#arm(Math.min(...this.#ring.map((queue) => queue.readyAt)));
      }
      const queue = this.#ring[index] as TenantQueue;
      const waiter = this.#head(queue) as Waiter;
      if (waiter.deadlineAt !== undefined && now > waiter.deadlineAt) {
        // Its estimate was short and its deadline passed while it waited: it is not sent that late.
        const left = this.#estimate(queue, now, 0);
        this.#drop(waiter);
        waiter.reject(
          waiter.onMissed(
            { waitedMs: now - waiter.since, remainingMs: left.waitMs, budget: left.budget },
            undefined,
          ),
        );
        continue;
      }
      const pending = this.#store.take(waiter.budgets);
      const answer = isPromise(pending) ? await pending : pending;
      const at = this.#ring.indexOf(queue);
      if (!answer.granted) {
        this.#refused(queue, answer, performance.now());
        if (answer.budget === queue.name && at !== -1) this.#cursor = at + 1;
        continue;
      }
      if (waiter.done) {
        // It gave up while the store answered: the slot is not used.
        this.#store.finished?.(answer, false);
        continue;
      }
      this.#drop(waiter);
      // The next turn is the next tenant's, whether or not this one has calls left.
      if (at !== -1) this.#cursor = this.#ring[at] === queue ? at + 1 : at;
      waiter.resolve(answer);
    }
  }

  /** The index in the ring of the next queue, from the cursor on, whose own budget may have room; or -1. */
  #nextReady(now: number): number {
    const ring = this.#ring;
    if (this.#cursor >= ring.length) this.#cursor = 0;
    for (let step = 0; step < ring.length; step++) {
      const index = (this.#cursor + step) % ring.length;
      if ((ring[index] as TenantQueue).readyAt <= now) {
        this.#cursor = index;
        return index;
      }
    }
    return -1;
  }

  #head(queue: TenantQueue): Waiter | undefined {
    while (queue.head < queue.waiters.length && (queue.waiters[queue.head] as Waiter).done) queue.head++;
    if (queue.head > 1024 && queue.head * 2 > queue.waiters.length) {
      queue.waiters = queue.waiters.slice(queue.head);
      queue.head = 0;
    }
    return queue.waiters[queue.head];
  }

  #arm(at: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    // Capped: an overlong timer would fire at once, and the pump re-arms it until room is due.
    const delay = Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(at - performance.now())));
    this.#timer = setTimeout(this.#wake, delay);
  }

  readonly #wake = (): void => {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    this.#pump();
  };
}
