import { setImmediate as nextTurn } from "node:timers/promises";

/** What {@link trackUnhandledRejections} returns. */
export interface UnhandledRejections {
  /** The reasons of the rejections nobody handled since tracking began. */
  readonly reasons: readonly unknown[];
  /**
   * Lets pending rejections surface (a few turns of the event loop, so a promise rejected by a timer or an I/O
   * callback is counted), then stops tracking and returns what was seen.
   */
  stop(): Promise<readonly unknown[]>;
}

/**
 * Records the promise rejections that nobody handles, the shape of bug that exits a Node process in production
 * (`--unhandled-rejections=throw` is Node's default). Call it before the code under test runs and `stop()` after.
 *
 * @example
 * ```ts
 * const unhandled = trackUnhandledRejections();
 * await settled(keys.getKey({ tenant: "acme", signal: AbortSignal.abort() }));
 * expect(await unhandled.stop()).toEqual([]);
 * ```
 */
export function trackUnhandledRejections(): UnhandledRejections {
  const reasons: unknown[] = [];
  const onRejection = (reason: unknown): void => void reasons.push(reason);
  process.on("unhandledRejection", onRejection);
  return {
    reasons,
    async stop() {
      for (let turn = 0; turn < 5; turn++) await nextTurn();
      process.off("unhandledRejection", onRejection);
      return reasons;
    },
  };
}
