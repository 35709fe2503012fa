import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "@jest/globals";
import type { KeyProvider, OnceKeyEvent } from "@oncekey/core";

/** A fresh key that must never show up in any message, event or output. */
export function canaryKey(): string {
  return `canary-${randomBytes(12).toString("hex")}`;
}

/** A temporary directory, removed by the returned `remove`. */
export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "oncekey-env-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** What {@link useTempDir} gives a `describe` block. */
export interface TempDirContext {
  /** This test's fresh temporary directory. */
  readonly path: string;
  /** Closes `provider` after the test, before the directory is removed. */
  track<P extends KeyProvider>(provider: P): P;
}

/**
 * Gives each test of the enclosing block a fresh temporary directory, and closes the providers it tracked before
 * removing the directory, so no watch or timer outlives its test.
 */
export function useTempDir(): TempDirContext {
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  const providers: KeyProvider[] = [];
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((p) => p.close?.()));
    await dir?.remove();
    dir = undefined;
  });
  return {
    get path(): string {
      if (dir === undefined) throw new Error("useTempDir: the directory exists only while a test runs");
      return dir.path;
    },
    track: (provider) => {
      providers.push(provider);
      return provider;
    },
  };
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
