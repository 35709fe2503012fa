import type { Budget, PacingAnswer, RateLimit, WindowLimit } from "@oncekey/core/source";
import { type OwnEntry, OwnWindow } from "./own-window.js";

/** Past this many budgets remembered, the oldest are forgotten. */
const REMEMBERED = 10_000;

/** What the local share needs to settle a request it let go, or that Redis let go. */
export interface OwnGrant {
  readonly entries: readonly (readonly [OwnWindow, OwnEntry])[];
}

/**
 * This process's share of the fleet's budgets, for when Redis cannot be reached: every limit divided by the
 * instances sharing it, counting what this process itself sent.
 *
 * - A window budget (the egress): at most `floor(requests / instances)` (at least 1) of this process's own
 *   requests in any window, its requests taken through Redis before the failure included.
 * - A rate budget (an account): GCRA at `perSecond / instances` with a burst of `floor(burst / instances)` (at
 *   least 1), starting empty: the account may have been used to its limit just before.
 *
 * With the right instance count and an even split of traffic before the failure, the fleet stays within every
 * budget; docs/fleet.md states the bound otherwise.
 */
export class LocalShare {
  readonly #windows = new Map<string, OwnWindow>();
  /** Per rate budget: GCRA's theoretical arrival time on the local share. */
  readonly #rates = new Map<string, number>();
  /** Per rate budget: its limit, and when this process last took from it. */
  readonly #used = new Map<string, { readonly at: number; readonly limit: RateLimit }>();
  #instances = 1;
  #since = 0;

  /** Notes a request Redis let go, so the share counts it should Redis fail. */
  record(budgets: readonly Budget[], member: string, now: number): OwnGrant {
    const entries: [OwnWindow, OwnEntry][] = [];
    budgets.forEach((budget) => {
      if (budget.limit.kind === "window") {
        const own = this.#window(budget.name, budget.limit);
        entries.push([own, own.add(member, now)]);
      } else {
        remember(this.#used, budget.name, { at: now, limit: budget.limit });
      }
    });
    return { entries };
  }

  /** Redis failed at `now`: the share starts, divided by `instances`. */
  begin(now: number, instances: number): void {
    this.#instances = Math.max(1, Math.floor(instances));
    this.#since = now;
    this.#rates.clear();
  }

  /** Takes one request from every budget's share, or from none. */
  take(budgets: readonly Budget[], member: string, now: number): PacingAnswer {
    for (const budget of budgets) {
      const waitMs =
        budget.limit.kind === "window"
          ? this.#windowWait(budget.name, budget.limit, now)
          : this.#rateWait(budget.name, budget.limit, now);
      if (waitMs > 0) return { granted: false, budget: budget.name, retryInMs: waitMs };
    }
    let slackMs = Infinity;
    const entries: [OwnWindow, OwnEntry][] = [];
    budgets.forEach((budget) => {
      if (budget.limit.kind === "window") {
        const own = this.#window(budget.name, budget.limit);
        entries.push([own, own.add(member, now)]);
      } else {
        const { interval } = this.#rate(budget.limit);
        const tat = Math.max(this.#tat(budget.name, budget.limit, now), now);
        slackMs = Math.min(slackMs, tat - now);
        remember(this.#rates, budget.name, tat + interval);
        remember(this.#used, budget.name, { at: now, limit: budget.limit });
      }
    });
    const handle: OwnGrant = { entries };
    return { granted: true, slackMs: slackMs === Infinity ? 0 : slackMs, handle };
  }

  /** A request's exchange ended at `now`: its window slots are held from its answer on, or free if it never left. */
  finished(grant: OwnGrant, sent: boolean, now: number): void {
    for (const [own, entry] of grant.entries) {
      if (!sent) own.remove(entry);
      else if (now - entry.time >= 1) own.move(entry, now);
    }
  }

  /** A 429 on the local share: the account's share is emptied. */
  drain(budget: Budget, now: number): void {
    if (budget.limit.kind !== "rate") return;
    const { interval, burst } = this.#rate(budget.limit);
    remember(
      this.#rates,
      budget.name,
      Math.max(this.#tat(budget.name, budget.limit, now), now + burst * interval),
    );
  }

  /** This process's requests in each window budget's current window: what it writes back to Redis. */
  windows(now: number): [string, readonly OwnEntry[]][] {
    return [...this.#windows].map(([name, own]) => [name, own.entries(now)]);
  }

  /** The rate budgets this process took from since `since` (a `performance.now()` time), with their limits. */
  ratesUsedSince(since: number): [string, RateLimit][] {
    return [...this.#used].filter(([, used]) => used.at >= since).map(([name, used]) => [name, used.limit]);
  }

  /** When the share started. */
  get since(): number {
    return this.#since;
  }

  #window(name: string, limit: WindowLimit): OwnWindow {
    let own = this.#windows.get(name);
    if (own === undefined || own.holdMs !== limit.holdMs) {
      own = new OwnWindow(limit.holdMs);
      if (this.#windows.size >= REMEMBERED) this.#windows.delete(this.#windows.keys().next().value as string);
      this.#windows.set(name, own);
    }
    return own;
  }

  #windowWait(name: string, limit: WindowLimit, now: number): number {
    const own = this.#window(name, limit);
    const share = Math.max(1, Math.floor(limit.requests / this.#instances));
    return own.count(now) < share ? 0 : own.oldestFreesInMs(now);
  }

  #rate(limit: RateLimit): { interval: number; burst: number } {
    return {
      interval: (1000 / limit.perSecond) * this.#instances,
      burst: Math.max(1, Math.floor(limit.burst / this.#instances)),
    };
  }

  /** The budget's TAT on the share; an account not used since the share started begins empty. */
  #tat(name: string, limit: RateLimit, now: number): number {
    const { interval, burst } = this.#rate(limit);
    return this.#rates.get(name) ?? Math.max(now, this.#since + burst * interval);
  }

  #rateWait(name: string, limit: RateLimit, now: number): number {
    const { interval, burst } = this.#rate(limit);
    const wait = this.#tat(name, limit, now) - (burst - 1) * interval - now;
    return wait > 0 ? Math.max(1, Math.ceil(wait)) : 0;
  }
}

function remember<T>(map: Map<string, T>, name: string, value: T): void {
  map.delete(name);
  if (map.size >= REMEMBERED) map.delete(map.keys().next().value as string);
  map.set(name, value);
}
