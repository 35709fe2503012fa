/**
 * Options of {@link runSoak}.
 *
 * @example
 * ```ts
 * const report = await runSoak({ requests: 5_000 }); // what `pnpm test` runs; `pnpm soak` runs 200,000
 * ```
 */
export interface SoakOptions {
  /**
   * Calls made through the client.
   * @defaultValue `200_000`
   */
  readonly requests?: number;
  /**
   * Calls in flight at once.
   * @defaultValue `64`
   */
  readonly concurrency?: number;
  /**
   * Calls between two key rotations. They must be further apart than a call lives (a retried call can take a few
   * seconds): a call replays once with a new key, so a second rotation during it fails it.
   * @defaultValue `20_000`
   */
  readonly rotateEvery?: number;
  /**
   * Share of requests the sandbox fails, spread over every kind of fault it has.
   * @defaultValue `0.01`
   */
  readonly faultRate?: number;
  /**
   * Calls before the heap is first read: connections, compiled code and caches settle first.
   * @defaultValue `requests / 10`
   */
  readonly warmup?: number;
  /** Told how many calls are done, every `requests / 20`. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** {@link SoakOptions} with the defaults filled in. */
export type ResolvedSoakOptions = Required<Omit<SoakOptions, "onProgress">> & {
  readonly onProgress: SoakOptions["onProgress"] | undefined;
};

/** Fills the defaults of {@link SoakOptions}; a count that is not a positive integer is a `RangeError`. */
export function resolveSoakOptions(options: SoakOptions): ResolvedSoakOptions {
  const requests = options.requests ?? 200_000;
  const resolved = {
    requests,
    concurrency: options.concurrency ?? 64,
    rotateEvery: options.rotateEvery ?? 20_000,
    faultRate: options.faultRate ?? 0.01,
    warmup: options.warmup ?? Math.ceil(requests / 10),
    onProgress: options.onProgress,
  };
  for (const name of ["requests", "concurrency", "rotateEvery", "warmup"] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1)
      throw new RangeError(`runSoak: ${name} must be a positive integer, got ${resolved[name]}.`);
  }
  if (!(resolved.faultRate >= 0 && resolved.faultRate < 1))
    throw new RangeError(`runSoak: faultRate must be at least 0 and below 1, got ${resolved.faultRate}.`);
  if (resolved.warmup >= requests) throw new RangeError("runSoak: warmup must be below requests.");
  return resolved;
}
