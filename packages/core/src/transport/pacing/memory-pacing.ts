import { performance } from "node:perf_hooks";
import type { Budget, PacingAnswer, PacingGrant, PacingStore } from "./pacing-store.js";
import { type LogEntry, SlidingWindowLog } from "./sliding-window-log.js";
import { TokenBucket } from "./token-bucket.js";

/** Past this many budgets, idle ones (full, nothing in flight: no state worth keeping) are dropped. */
const SWEEP_AT = 10_000;

/** What the in-process store needs to settle a request it let go. */
interface MemoryHandle {
  readonly buckets: TokenBucket[];
  /** Per bucket: the total of its shifts when the request went, so a lag a later shift covered is not counted twice. */
  readonly shifted: number[];
  readonly logs: SlidingWindowLog[];
  readonly entries: LogEntry[];
  /** The latest `performance.now()` time the request may reach the wire without moving a bucket's schedule. */
  readonly dueBy: number;
}

/**
 * The in-process pacing store: a token bucket per rate budget and a sliding-window log per window budget, kept
 * per budget name and limit, shared by every client of the process that uses it. It answers synchronously, so a
 * call whose budgets are free goes without a tick of delay.
 *
 * A request's rate tokens are counted when it is released and its lateness on the way to the wire moves the
 * bucket's schedule; its window slot is held until its answer came back (see {@link TokenBucket} and
 * {@link SlidingWindowLog}).
 */
export class MemoryPacingStore implements PacingStore {
  readonly name = "memory";
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #logs = new Map<string, SlidingWindowLog>();

  take(budgets: readonly Budget[]): PacingAnswer {
    const now = performance.now();
    for (const budget of budgets) {
      const waitMs = this.waitMs(budget, now);
      if (waitMs > 0) return { granted: false, budget: budget.name, retryInMs: waitMs };
    }
    const buckets: TokenBucket[] = [];
    const shifted: number[] = [];
    const logs: SlidingWindowLog[] = [];
    const entries: LogEntry[] = [];
    let slackMs = Infinity;
    for (const budget of budgets) {
      if (budget.limit.kind === "rate") {
        const bucket = this.#bucket(budget, now);
        bucket.tryTake(now);
        slackMs = Math.min(slackMs, bucket.slackMs);
        buckets.push(bucket);
        shifted.push(bucket.shiftedMs);
      } else {
        const log = this.#log(budget, now);
        logs.push(log);
        entries.push(log.record(now));
      }
    }
    if (slackMs === Infinity) slackMs = 0;
    const handle: MemoryHandle = { buckets, shifted, logs, entries, dueBy: now + slackMs };
    return { granted: true, slackMs, handle };
  }

  /**
   * How long a request for `budget` would wait now with `ahead` requests before it: 0 when it may go.
   *
   * @param budget - The budget.
   * @param now - `performance.now()`.
   * @param ahead - Requests queued before it.
   */
  waitMs(budget: Budget, now: number, ahead = 0): number {
    if (budget.limit.kind === "rate") {
      const bucket = this.#bucket(budget, now);
      return ahead === 0 ? bucket.nextTakeInMs(now) : bucket.estimateWait(now, ahead);
    }
    return this.#log(budget, now).nextTakeInMs(now, ahead);
  }

  started(grant: PacingGrant): void {
    const handle = grant.handle as MemoryHandle;
    const now = performance.now();
    handle.buckets.forEach((bucket, i) => {
      // OnceHub's limiter counts the request from its arrival: when that is later than its slack allowed, the
      // budget's next requests are held back by the excess, minus what shifts since its release already covered.
      const excess = now - handle.dueBy - (bucket.shiftedMs - (handle.shifted[i] as number));
      if (excess > 1) bucket.shift(excess);
      bucket.started();
    });
  }

  finished(grant: PacingGrant, sent: boolean): void {
    const handle = grant.handle as MemoryHandle;
    if (sent) {
      const now = performance.now();
      handle.logs.forEach((log, i) => log.answered(handle.entries[i] as LogEntry, now));
      return;
    }
    for (const bucket of handle.buckets) bucket.abandoned();
    handle.logs.forEach((log, i) => log.abandoned(handle.entries[i] as LogEntry));
  }

  drain(budget: Budget): void {
    if (budget.limit.kind === "rate") {
      const now = performance.now();
      this.#bucket(budget, now).drain(now);
    }
  }

  #bucket(budget: Budget, now: number): TokenBucket {
    const limit = budget.limit as Extract<Budget["limit"], { kind: "rate" }>;
    const id = `${budget.name}/${limit.perSecond}/${limit.burst}`;
    let bucket = this.#buckets.get(id);
    if (bucket === undefined) {
      if (this.#buckets.size >= SWEEP_AT) sweep(this.#buckets, now);
      bucket = new TokenBucket(limit.perSecond, limit.burst, now);
      this.#buckets.set(id, bucket);
    }
    return bucket;
  }

  #log(budget: Budget, now: number): SlidingWindowLog {
    const limit = budget.limit as Extract<Budget["limit"], { kind: "window" }>;
    const id = `${budget.name}/${limit.requests}/${limit.holdMs}`;
    let log = this.#logs.get(id);
    if (log === undefined) {
      if (this.#logs.size >= SWEEP_AT) sweep(this.#logs, now);
      log = new SlidingWindowLog(limit.requests, limit.holdMs);
      this.#logs.set(id, log);
    }
    return log;
  }
}

function sweep(budgets: Map<string, { isIdle(now: number): boolean }>, now: number): void {
  for (const [id, budget] of budgets) if (budget.isIdle(now)) budgets.delete(id);
}

/** The process's store, used by every client without a `pacing.store`. */
export const processPacingStore = new MemoryPacingStore();
