/** What the scheduler knows of one budget while queued calls take from it. */
interface Hold {
  /** Queues with live calls that take from it. */
  queues: number;
  /** A refusal by it holds the queues that need it (and newcomers queue behind them) until a grant from it. */
  blocked: boolean;
  /** When it may have room again (`performance.now()`), while blocked. */
  until: number;
}

/**
 * The budgets that refused a queued call, each on its own: a full egress window holds the calls that take from
 * the egress, never those that do not (a client without egress pacing, a Key Vault's reads). A budget is known
 * while a queue needs it, and forgotten with the last one.
 */
export class BudgetHolds {
  readonly #holds = new Map<string, Hold>();

  /** A queue taking from `names` started waiting. */
  join(names: readonly string[]): void {
    for (const name of names) {
      const hold = this.#holds.get(name);
      if (hold === undefined) this.#holds.set(name, { queues: 1, blocked: false, until: 0 });
      else hold.queues++;
    }
  }

  /** A queue taking from `names` has nobody waiting any more. */
  leave(names: readonly string[]): void {
    for (const name of names) {
      const hold = this.#holds.get(name);
      if (hold !== undefined && --hold.queues === 0) this.#holds.delete(name);
    }
  }

  /** `name` refused a queued call: it holds its queues until `until` (`performance.now()`). */
  refuse(name: string, until: number): void {
    const hold = this.#holds.get(name);
    if (hold === undefined) return;
    hold.until = hold.blocked ? Math.max(hold.until, until) : until;
    hold.blocked = true;
  }

  /** The store granted a call from `names`: none of them holds anyone now. */
  granted(names: readonly string[]): void {
    for (const name of names) {
      const hold = this.#holds.get(name);
      if (hold !== undefined) hold.blocked = false;
    }
  }

  /** A request of `name` settled, so it may have room again; false when no queue needs it. */
  wake(name: string): boolean {
    const hold = this.#holds.get(name);
    if (hold === undefined) return false;
    hold.until = 0;
    return true;
  }

  /** Whether a call taking from `name` now would overtake a queued call it holds. */
  isBlocked(name: string): boolean {
    return this.#holds.get(name)?.blocked === true;
  }

  /** When `name` may have room for a queued call: 0 when it holds nobody. */
  until(name: string): number {
    const hold = this.#holds.get(name);
    return hold?.blocked === true ? hold.until : 0;
  }

  /** When a queue taking from `names` may be served: the latest of their times, 0 when none holds it. */
  heldUntil(names: readonly string[]): number {
    let until = 0;
    for (const name of names) until = Math.max(until, this.until(name));
    return until;
  }

  /** Nothing queued could go at `now`: a budget whose time has come holds nobody now. */
  releasePassed(now: number): void {
    for (const hold of this.#holds.values()) if (hold.blocked && hold.until <= now) hold.blocked = false;
  }
}
