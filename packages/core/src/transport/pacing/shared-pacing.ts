import { PacingScheduler } from "./pacing-scheduler.js";
import type { PacingStore } from "./pacing-store.js";

/** What every user of one store shares: its fair queue, and which account each key was first seen under. */
export interface SharedPacing {
  readonly scheduler: PacingScheduler;
  /** Key fingerprint → account budget name. */
  readonly accounts: Map<string, string>;
}

const shared = new WeakMap<PacingStore, SharedPacing>();

/**
 * The queue and account map of `store`, made on first use: clients of one store, and other readers pacing through
 * it, wait in the same queue.
 *
 * @param store - The store.
 */
export function sharedPacing(store: PacingStore): SharedPacing {
  let found = shared.get(store);
  if (found === undefined) {
    found = { scheduler: new PacingScheduler(store), accounts: new Map() };
    shared.set(store, found);
  }
  return found;
}
