import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OnceKeyEvent } from "@oncekey/core";

/** A fresh key that must never show up in any message, event or output. */
export function canaryKey(): string {
  return `canary-${randomBytes(12).toString("hex")}`;
}

/** A temporary directory, removed by the returned `remove`. */
export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "oncekey-env-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Waits until `check` returns a value other than `undefined`/`false`, polling; fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Collects the events a provider emits. */
export function eventLog(): { events: OnceKeyEvent[]; onEvent: (event: OnceKeyEvent) => void } {
  const events: OnceKeyEvent[] = [];
  return { events, onEvent: (event) => events.push(event) };
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
