import type { Context } from "@opentelemetry/api";
import { epochMs } from "../clock.js";
import type { Call } from "./call.js";

/** The most calls kept waiting for their next exchange; past it, the oldest is written as it is. */
const MAX_PENDING = 10_000;
const SWEEP_INTERVAL_MS = 1_000;

/**
 * Calls between two exchanges (a retry's backoff, a key being fetched again), found again by their next
 * exchange, or written as they are once their deadline passes (the call was aborted, or failed without another
 * event). A timer sweeps them while any wait; it never keeps the process alive.
 */
export class PendingCalls {
  readonly #byIdentity = new Map<string, Call[]>();
  readonly #finish: (call: Call) => void;
  #size = 0;
  #timer: NodeJS.Timeout | undefined;

  /** @param finish - Writes a call's span. */
  constructor(finish: (call: Call) => void) {
    this.#finish = finish;
  }

  /** Calls waiting. */
  get size(): number {
    return this.#size;
  }

  /** Keeps `call` until its next exchange or its deadline. */
  add(call: Call): void {
    let list = this.#byIdentity.get(call.identity);
    if (list === undefined) this.#byIdentity.set(call.identity, (list = []));
    list.push(call);
    this.#size++;
    if (this.#size > MAX_PENDING) this.#finishOldest();
    this.#timer ??= setInterval(() => this.sweep(epochMs()), SWEEP_INTERVAL_MS).unref();
  }

  /**
   * Takes the call that exchange number `attempt` with `identity` continues: the oldest waiting for that attempt,
   * preferably from the same context (concurrent calls from one context with the same tenant, method and path
   * cannot be told apart; see the README).
   */
  take(identity: string, attempt: number, parent: Context): Call | undefined {
    const call = this.find(identity, (c) => c.last.attempt + 1 === attempt, parent);
    if (call === undefined) return undefined;
    const list = this.#byIdentity.get(identity) as Call[];
    list.splice(list.indexOf(call), 1);
    this.#removed(identity, list);
    return call;
  }

  /**
   * The oldest waiting call for which `matches` holds, preferably one from `parent`'s context; only among the
   * calls with `identity` when given.
   */
  find(identity: string | undefined, matches: (call: Call) => boolean, parent: Context): Call | undefined {
    const lists = identity === undefined ? this.#byIdentity.values() : [this.#byIdentity.get(identity) ?? []];
    let found: Call | undefined;
    for (const list of lists) {
      for (const call of list) {
        if (!matches(call)) continue;
        if (call.parent === parent) return call;
        found ??= call;
      }
    }
    return found;
  }

  /** Every waiting call for which `matches` holds. */
  *filter(matches: (call: Call) => boolean): Iterable<Call> {
    for (const list of this.#byIdentity.values()) for (const call of list) if (matches(call)) yield call;
  }

  /** Writes the calls whose deadline passed. */
  sweep(now: number): void {
    for (const [identity, list] of this.#byIdentity) {
      const due = list.filter((call) => call.deadline <= now);
      if (due.length === 0) continue;
      const kept = list.filter((call) => call.deadline > now);
      if (kept.length === 0) this.#byIdentity.delete(identity);
      else this.#byIdentity.set(identity, kept);
      this.#size -= due.length;
      due.forEach(this.#finish);
    }
    this.#stopIfEmpty();
  }

  /** Writes every waiting call as it is (the instrumentation is being disabled). */
  flush(): void {
    const calls = [...this.filter(() => true)];
    this.#byIdentity.clear();
    this.#size = 0;
    this.#stopIfEmpty();
    calls.forEach(this.#finish);
  }

  #finishOldest(): void {
    let oldest: Call | undefined;
    for (const call of this.filter(() => true))
      if (oldest === undefined || call.deadline < oldest.deadline) oldest = call;
    if (oldest === undefined) return;
    const list = this.#byIdentity.get(oldest.identity) as Call[];
    list.splice(list.indexOf(oldest), 1);
    this.#removed(oldest.identity, list);
    this.#finish(oldest);
  }

  #removed(identity: string, list: Call[]): void {
    this.#size--;
    if (list.length === 0) this.#byIdentity.delete(identity);
    this.#stopIfEmpty();
  }

  #stopIfEmpty(): void {
    if (this.#size > 0 || this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
