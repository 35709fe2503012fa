import { performance } from "node:perf_hooks";
import { MAX_TIMER_MS } from "../../options/number-option.js";
import type { OnceKeyEventListener } from "../../events/once-key-event.js";
import { BudgetHolds } from "./budget-holds.js";
import { FAILED_TAKE_RETRY_MS, GuardedStore } from "./guarded-store.js";
import type { Budget, PacingAnswer, PacingGrant, PacingRefusal, PacingStore } from "./pacing-store.js";

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

/** One tenant's (account's) calls that take from the same budgets, in order. */
interface TenantQueue {
  readonly key: string;
  readonly tenant: string;
  /** The tenant's budget name first, then the other budgets its calls take from. */
  readonly names: readonly string[];
  waiters: Waiter[];
  head: number;
  /** Waiters that have not given up. */
  live: number;
}

/** A refusal not recorded yet: the budget it holds (one the queue needs) and until when. */
interface Held {
  readonly name: string;
  readonly until: number;
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

const isTimeout = (reason: unknown): boolean =>
  typeof reason === "object" && reason !== null && (reason as { name?: unknown }).name === "TimeoutError";

/** The budget names a call of `tenant` taking from `budgets` needs: the tenant's first. */
function namesOf(tenant: string, budgets: readonly Budget[]): string[] {
  const names = [tenant];
  for (const budget of budgets) if (!names.includes(budget.name)) names.push(budget.name);
  return names;
}

/** The estimated wait per request of a budget: its rate's interval, or a window's average. */
function intervalOf(budgets: readonly Budget[], name: string): number {
  const limit = budgets.find((budget) => budget.name === name)?.limit;
  if (limit === undefined) return 0;
  return limit.kind === "rate" ? 1000 / limit.perSecond : limit.holdMs / limit.requests;
}

/** When a refusal says the budget may have room, in ms from now. */
const retryOf = (refusal: PacingRefusal): number =>
  Number.isFinite(refusal.retryInMs) ? Math.max(1, refusal.retryInMs) : HELD_RETRY_MS;

/**
 * Queues the calls that cannot go at once and serves them fairly: one queue per tenant (its calls in order), the
 * tenants in turn (round robin). When a budget every tenant shares (the egress) is short, each waiting tenant
 * gets one request per round, so one tenant's thousand queued calls never hold another's single call back by more
 * than one slot per waiting tenant. A queue held by a budget (its account's, or a shared one) is passed over
 * without holding the others, and keeps its turn for when the budget has room.
 *
 * A refusal holds only the calls that take from the budget that refused: a full egress window holds every call
 * that goes out through it, never a client's calls without egress pacing or a Key Vault's reads.
 *
 * The store decides, for the head of a queue, whether one request may take from all its budgets; this scheduler
 * asks it again when the refusal says room may be back, or when a request settles. One scheduler per store,
 * shared by every client using the store.
 */
export class PacingScheduler {
  readonly #store: PacingStore;
  readonly #guarded: GuardedStore;
  readonly #queues = new Map<string, TenantQueue>();
  readonly #holds = new BudgetHolds();
  /** Queues with live waiters, served in turn from `#cursor`. */
  #ring: TenantQueue[] = [];
  #cursor = 0;
  #waiting = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #pumping = false;
  #again = false;

  constructor(store: PacingStore) {
    this.#store = store;
    this.#guarded = new GuardedStore(store);
  }

  /**
   * Whether a call of `tenant` taking from `budgets` may ask the store at once: nobody waits whom it would
   * overtake (its tenant's earlier calls, or a call held by one of its budgets).
   */
  mayGoNow(tenant: string, budgets: readonly Budget[]): boolean {
    if (this.#waiting === 0) return true;
    if (this.#holds.isBlocked(tenant)) return false;
    for (const budget of budgets) if (this.#holds.isBlocked(budget.name)) return false;
    const queue = this.#queues.get(namesOf(tenant, budgets).join("\u0000"));
    return queue === undefined || queue.live === 0;
  }

  /**
   * The store's answer for a call of `tenant` that may go now, without queueing (see {@link mayGoNow}); a
   * promise only when the store answered with one, and never one that rejects: a take that failed is a short
   * refusal of the tenant's budget (see {@link GuardedStore}).
   */
  take(tenant: string, budgets: readonly Budget[]): PacingAnswer | Promise<PacingAnswer> {
    return this.#guarded.take(budgets, tenant);
  }

  /** Registers a listener for the store's failure and recovery as the scheduler sees them; returns its removal. */
  listen(listener: OnceKeyEventListener): () => void {
    return this.#guarded.listen(listener);
  }

  /**
   * Queues a call of `tenant` for `budgets`; resolves with the store's grant when its turn comes.
   *
   * @param tenant - The queue: the account's budget name.
   * @param budgets - Every budget the call takes from; a refusal by one holds the queued calls that need it.
   * @param refusal - The store's refusal when the call asked at once, for the estimate.
   * @param options - {@link WaitOptions}.
   */
  wait(
    tenant: string,
    budgets: readonly Budget[],
    refusal: PacingRefusal | undefined,
    options: WaitOptions,
  ): Promise<PacingGrant> {
    const { signal, deadlineAt } = options;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    const now = performance.now();
    const names = namesOf(tenant, budgets);
    const key = names.join("\u0000");
    const queue = this.#queues.get(key) ?? { key, tenant, names, waiters: [], head: 0, live: 0 };
    const held =
      refusal === undefined
        ? undefined
        : { name: chargedTo(queue, refusal.budget), until: now + retryOf(refusal) };
    const estimate = this.#estimate(queue, budgets, now, queue.live, held);
    if (deadlineAt !== undefined && now + estimate.waitMs > deadlineAt) {
      // Refused before it queued: its refusal holds nobody.
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
          const left = this.#estimate(queue, budgets, at, this.#ahead(waiter));
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
      if (queue.live === 0) this.#enter(queue);
      queue.waiters.push(waiter);
      queue.live++;
      this.#waiting++;
      if (held !== undefined) this.#holds.refuse(held.name, held.until);
      options.onQueued(estimate);
      if (waiter.done) return;
      // A call its budgets hold changes nothing for the others: it is served when they have room.
      const until = this.#holds.heldUntil(names);
      if (until > performance.now()) this.#arm(until);
      else this.#pump();
    });
  }

  /** True when nobody waits and no timer is armed: nothing keeps the process alive. */
  isIdle(): boolean {
    return this.#waiting === 0 && this.#timer === undefined;
  }

  /** A request of `tenant` settled (reached the wire or never will): its held budget may have room again. */
  settled(tenant: string): void {
    if (this.#holds.wake(tenant)) this.#pump();
  }

  #enter(queue: TenantQueue): void {
    this.#queues.set(queue.key, queue);
    this.#ring.push(queue);
    this.#holds.join(queue.names);
  }

  /**
   * The wait of a call of `queue` now with `ahead` calls of its own before it: its tenant's budget's refill for
   * those, and for each other budget that holds it one slot per call served before it in the rounds (at most one
   * per waiting queue that needs the budget, per round).
   */
  #estimate(
    queue: TenantQueue,
    budgets: readonly Budget[],
    now: number,
    ahead: number,
    held?: Held,
  ): QueuedCall {
    let waitMs = 0;
    let budget = queue.tenant;
    for (const name of queue.names) {
      let until = this.#holds.until(name);
      if (held?.name === name) until = Math.max(until, held.until);
      const own = name === queue.tenant;
      if (!own && until === 0) continue;
      let slots = ahead;
      if (!own) {
        for (const other of this.#ring) {
          if (other !== queue && other.names.includes(name)) slots += Math.min(other.live, ahead + 1);
        }
      }
      const wait = Math.max(0, until - now) + slots * intervalOf(budgets, name);
      if (wait > waitMs) {
        waitMs = wait;
        budget = name;
      }
    }
    return { waitMs: Math.ceil(Math.min(waitMs, MAX_TIMER_MS)), budget };
  }

  /** The live calls of its queue before `waiter`. */
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
    this.#queues.delete(queue.key);
    this.#holds.leave(queue.names);
  }

  /** Nobody waits: no timer may keep the process alive. */
  #idle(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  #pump(): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    this.#serve().catch(() => {
      // A store's finished() or a caller's onMissed threw: the queue is served again shortly, never left behind.
      this.#arm(performance.now() + FAILED_TAKE_RETRY_MS);
    });
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
      const index = this.#nextReady(now);
      if (index === -1) return this.#armForEarliest(now);
      const queue = this.#ring[index] as TenantQueue;
      const waiter = this.#head(queue) as Waiter;
      if (waiter.deadlineAt !== undefined && now > waiter.deadlineAt) {
        // Its estimate was short and its deadline passed while it waited: it is not sent that late.
        const left = this.#estimate(queue, waiter.budgets, now, 0);
        this.#drop(waiter);
        waiter.reject(
          waiter.onMissed(
            { waitedMs: now - waiter.since, remainingMs: left.waitMs, budget: left.budget },
            undefined,
          ),
        );
        continue;
      }
      const pending = this.#guarded.take(waiter.budgets, queue.tenant);
      const answer = pending instanceof Promise ? await pending : pending;
      if (!answer.granted) {
        this.#holds.refuse(chargedTo(queue, answer.budget), performance.now() + retryOf(answer));
        continue;
      }
      this.#holds.granted(queue.names);
      if (waiter.done) {
        // It gave up while the store answered: the slot is not used.
        this.#store.finished?.(answer, false);
        continue;
      }
      const inTurn = this.#ring[this.#cursor] === queue;
      this.#drop(waiter);
      if (queue.live > 0) this.#passTurn(queue, inTurn);
      waiter.resolve(answer);
    }
  }

  /**
   * The index in the ring of the next queue, from the cursor on, that no budget holds; or -1. The queues passed
   * over keep their turn.
   */
  #nextReady(now: number): number {
    const ring = this.#ring;
    if (this.#cursor >= ring.length) this.#cursor = 0;
    for (let step = 0; step < ring.length; step++) {
      const index = (this.#cursor + step) % ring.length;
      if (this.#holds.heldUntil((ring[index] as TenantQueue).names) <= now) return index;
    }
    return -1;
  }

  /**
   * `queue` was served: the next turn is the next queue's. Served out of turn (the queues before it were held),
   * it goes to the back of the round, so the queues it passed keep their turn and no queue is served twice in
   * a round while another that has room waits.
   */
  #passTurn(queue: TenantQueue, inTurn: boolean): void {
    if (inTurn) {
      this.#cursor++;
      return;
    }
    const at = this.#ring.indexOf(queue);
    if (at === -1) return;
    this.#ring.splice(at, 1);
    if (at < this.#cursor) this.#cursor--;
    this.#ring.splice(this.#cursor, 0, queue);
    this.#cursor++;
  }

  /** Nothing queued may go now: arms the timer for the first queue its budgets let go. */
  #armForEarliest(now: number): void {
    this.#holds.releasePassed(now);
    let earliest = Infinity;
    // A loop, not Math.min(...): a spread of a hundred thousand waiting tenants overflows the stack.
    for (const queue of this.#ring) earliest = Math.min(earliest, this.#holds.heldUntil(queue.names));
    this.#arm(Number.isFinite(earliest) ? earliest : now + HELD_RETRY_MS);
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

/** The budget a refusal holds: the one it names when the queue needs it, else the queue's tenant's. */
function chargedTo(queue: TenantQueue, budget: string): string {
  return queue.names.includes(budget) ? budget : queue.tenant;
}
