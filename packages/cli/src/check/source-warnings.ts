import diagnostics from "node:diagnostics_channel";
import { eventChannelName, type OnceKeyEvent } from "@oncekey/core";
import type { ReportWarning } from "../output/command-report.js";

/** The warnings the key sources raised while the command ran. */
export interface SourceWarnings {
  /** Each distinct warning once, in the order raised. */
  readonly warnings: readonly ReportWarning[];
  /** Stops listening. */
  stop(): void;
}

/**
 * Collects the `key:warning` events the key sources publish on `node:diagnostics_channel` (a key file readable
 * by others, a watch that fell back to polling …), so the command reports what the app's log would show.
 *
 * @example
 * ```ts
 * const raised = collectSourceWarnings();
 * await keys.getKey();
 * raised.stop();
 * raised.warnings; // [{ code: "FILE_PERMISSIONS", message: "The key file …" }]
 * ```
 */
export function collectSourceWarnings(): SourceWarnings {
  const warnings: ReportWarning[] = [];
  const channel = eventChannelName("key:warning");
  const listener = (message: unknown): void => {
    const event = message as OnceKeyEvent;
    if (event.type !== "key:warning") return;
    if (warnings.some((w) => w.code === event.code && w.message === event.message)) return;
    warnings.push({ code: event.code, message: event.message });
  };
  diagnostics.subscribe(channel, listener);
  return {
    warnings,
    stop: () => void diagnostics.unsubscribe(channel, listener),
  };
}
