import type { KeyProvider, OnceKeyEvent } from "@oncekey/core";
import type { ReportWarning } from "../output/command-report.js";

/** The warnings the command's own key sources raised while it ran. */
export interface SourceWarnings {
  /** Each distinct warning once, in the order raised. */
  readonly warnings: readonly ReportWarning[];
  /** Collects the `key:warning` events of `keys` (through its `subscribe`) from now until {@link stop}. */
  follow(keys: KeyProvider): void;
  /** Stops listening to every provider followed. */
  stop(): void;
}

/**
 * Collects the `key:warning` events of the key providers the command builds (a key file readable by others, a
 * watch that fell back to polling …), so the command reports what the app's log would show. It listens to those
 * providers only, through their `subscribe`, never to the process-wide `node:diagnostics_channel`: a command run
 * inside an app (`runOncekey`), or two runs at once, report their own warnings and no one else's.
 *
 * @example
 * ```ts
 * const raised = collectSourceWarnings();
 * raised.follow(keys);
 * await keys.getKey();
 * raised.stop();
 * raised.warnings; // [{ code: "FILE_PERMISSIONS", message: "The key file …" }]
 * ```
 */
export function collectSourceWarnings(): SourceWarnings {
  const warnings: ReportWarning[] = [];
  const subscriptions: (() => void)[] = [];
  const listener = (event: OnceKeyEvent): void => {
    if (event.type !== "key:warning") return;
    if (warnings.some((w) => w.code === event.code && w.message === event.message)) return;
    warnings.push({ code: event.code, message: event.message });
  };
  return {
    warnings,
    follow(keys) {
      const unsubscribe = keys.subscribe?.(listener);
      if (unsubscribe !== undefined) subscriptions.push(unsubscribe);
    },
    stop() {
      for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
    },
  };
}
