import { ApiKey, cached, type CachedOptions, KeySourceError, type KeyProvider } from "@oncekey/core";

/** A key source a test changes, behind `cached`, as a file or vault source would be. */
export interface RotatingKeys {
  readonly provider: KeyProvider;
  /** Serves `raw` from the next read on. */
  set(raw: string): void;
  /** Makes the next reads fail, as an unreachable vault would. */
  fail(): void;
}

/** A {@link RotatingKeys} serving `initial`. */
export function rotatingKeys(initial: string, options: CachedOptions = {}): RotatingKeys {
  let current = initial;
  let failing = false;
  const source: KeyProvider = {
    name: "rotating",
    async getKey() {
      if (failing) throw new KeySourceError("The test's key source is down.", { source: "rotating" });
      return ApiKey.from(current, { source: "rotating" });
    },
  };
  return {
    provider: cached(source, options),
    set: (raw) => void (current = raw),
    fail: () => void (failing = true),
  };
}
