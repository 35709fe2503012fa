import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

/** A fresh key that must never show up in any message, event or output. */
export function canaryKey(): string {
  return `canary-${randomBytes(12).toString("hex")}`;
}

/** Calls `getKey` in a loop until stopped; records every key seen and every failure. */
export function keepReading(getKey: () => Promise<{ reveal(): string }>): {
  latest: () => string | undefined;
  stop: () => Promise<{ calls: number; failures: unknown[]; seen: Set<string> }>;
} {
  const seen = new Set<string>();
  const failures: unknown[] = [];
  let latest: string | undefined;
  let calls = 0;
  let stopped = false;
  const loop = (async () => {
    // Bounded: a test that forgets to stop still ends.
    for (let i = 0; i < 20_000 && !stopped; i++) {
      calls++;
      try {
        latest = (await getKey()).reveal();
        seen.add(latest);
      } catch (error) {
        failures.push(error);
      }
      await sleep(2);
    }
  })();
  return {
    latest: () => latest,
    stop: async () => {
      stopped = true;
      await loop;
      return { calls, failures, seen };
    },
  };
}
