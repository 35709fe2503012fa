import { setTimeout as sleep } from "node:timers/promises";
import type { KeyProvider } from "@oncekey/core";

/** Options of {@link readWhileWriting}. */
export interface ReadWhileWritingOptions {
  /** Concurrent readers. */
  readonly readers?: number;
  /** `getKey` calls per reader. */
  readonly reads?: number;
  /** The pause after the write of `keys[index]`, in milliseconds. */
  readonly pauseAfterWrite?: (index: number) => number;
}

/**
 * Writes `keys` one after the other with `write` while readers call `getKey` (10 readers of 100 calls: 1,000
 * reads), and returns every key served and every failure.
 */
export async function readWhileWriting(
  provider: KeyProvider,
  keys: readonly string[],
  write: (key: string, index: number) => Promise<void>,
  { readers = 10, reads = 100, pauseAfterWrite = () => 4 }: ReadWhileWritingOptions = {},
): Promise<{ served: Set<string>; failures: unknown[] }> {
  const served = new Set<string>();
  const failures: unknown[] = [];
  const reader = async (): Promise<void> => {
    for (let i = 0; i < reads; i++) {
      await provider.getKey().then(
        (key) => void served.add(key.reveal()),
        (error: unknown) => void failures.push(error),
      );
      await sleep(i % 3);
    }
  };
  const writer = async (): Promise<void> => {
    for (const [index, key] of keys.entries()) {
      await write(key, index);
      await sleep(pauseAfterWrite(index));
    }
  };
  await Promise.all([writer(), ...Array.from({ length: readers }, reader)]);
  return { served, failures };
}
