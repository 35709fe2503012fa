import type { ApiKey } from "@oncekey/core";
import type { KeySetup } from "../config/key-setup.js";
import type { Progress } from "../output/progress.js";
import type { LatencyProbe } from "./latency-probe.js";

/** What checking the configured key found; `error` set when it stopped early. */
export interface KeyCheck {
  /** The key, once the source served it. */
  readonly key: ApiKey | undefined;
  /** The account from `GET /test`. */
  readonly account: string | undefined;
  readonly latencyMs: number | null;
  readonly error: unknown;
}

/**
 * Loads the key as the app would and calls `GET /test` with it, through the library's client (its retries,
 * timeouts and key refresh on a 401). Never throws: a failure is returned with what was learnt before it.
 *
 * @param setup - From `setUpKeys`.
 * @param probe - The latency probe the setup's client reports to.
 * @param progress - Progress notes.
 * @example
 * ```ts
 * const { key, account, error } = await checkKey(setup, probe, progress);
 * ```
 */
export async function checkKey(setup: KeySetup, probe: LatencyProbe, progress: Progress): Promise<KeyCheck> {
  let key: ApiKey | undefined;
  try {
    progress.step("Reading the key from its source");
    key = await setup.keys.getKey(setup.request);
    progress.step("Checking the key with OnceHub (GET /test)");
    const { account } = await setup.client.test();
    return { key, account, latencyMs: probe.latencyMs, error: undefined };
  } catch (error) {
    return { key, account: undefined, latencyMs: probe.latencyMs, error };
  } finally {
    progress.clear();
  }
}
