import type { TimerSet } from "../../server/timer-set.js";
import type { BoundedLog } from "../../state/bounded-log.js";
import type { AccountStore } from "../state/account-store.js";
import type { FaultInjector } from "../state/fault-injector.js";
import type { LoggedRequest } from "../state/request-log.js";
import type { SandboxRateLimits } from "./rate-limits.js";

/** What the request pipeline shares with the rest of the sandbox. */
export interface SandboxContext {
  readonly store: AccountStore;
  readonly log: BoundedLog<LoggedRequest>;
  readonly faults: FaultInjector;
  readonly timers: TimerSet;
  readonly nextRequestId: () => string;
  /** The per-account and per-IP limits. */
  readonly limits: SandboxRateLimits;
  /** Set once the listeners are bound. */
  origin: string;
  plainOrigin: string;
}
