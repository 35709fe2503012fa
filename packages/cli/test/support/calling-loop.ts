import { setTimeout as sleep } from "node:timers/promises";
import { OnceHubClient, type KeyProvider } from "@oncekey/core";
import type { Sandbox } from "@oncekey/sandbox";
import { sandboxTransportOptions } from "@oncekey/test-support";

/** A running app's stand-in: a client calling OnceHub again and again while a key is rotated beside it. */
export interface CallingLoop {
  /** The fingerprint of each key the calls went out with, in order of first use. */
  readonly fingerprints: readonly string[];
  /** Calls that have completed (successfully or not). */
  readonly calls: number;
  /** Stops after the call in flight and closes the client; resolves with the failures' codes. */
  stop(): Promise<string[]>;
}

/**
 * Calls `GET /test` in a loop, a short pause between calls, through a client of `keys` against the sandbox, and
 * records which key each request carried and every failed call.
 *
 * @param keys - The app's provider (`fromFile`, `fromDotenv`, `fromAzureKeyVault`).
 * @param sandbox - The OnceHub sandbox.
 */
export function startCallingLoop(keys: KeyProvider, sandbox: Sandbox): CallingLoop {
  const fingerprints: string[] = [];
  const client = new OnceHubClient({
    keys,
    ...sandboxTransportOptions(sandbox),
    onEvent: (event) => {
      if (
        event.type === "request" &&
        event.fingerprint !== undefined &&
        !fingerprints.includes(event.fingerprint)
      ) {
        fingerprints.push(event.fingerprint);
      }
    },
  });
  const failures: string[] = [];
  let calls = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await client.test();
      } catch (error) {
        failures.push(String((error as { code?: unknown }).code ?? error));
      }
      calls++;
      await sleep(20);
    }
  })();
  return {
    fingerprints,
    get calls() {
      return calls;
    },
    async stop() {
      running = false;
      await loop;
      await client.close();
      return failures;
    },
  };
}
