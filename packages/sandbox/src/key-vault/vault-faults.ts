/** What every fault can say about when it applies. */
interface FaultScope {
  /**
   * How many matching requests the fault answers; `Infinity` keeps it until `faults.clear()`.
   * @defaultValue `1`
   */
  readonly times?: number;
  /** Only requests for this secret name (compared case-insensitively). @defaultValue every request */
  readonly secret?: string;
}

/**
 * A failure the fake vault serves instead of the real answer.
 *
 * - `throttle`: 429 `Throttled`, with `Retry-After: retryAfterSeconds` (default 1; `null` sends none, which
 *   the Azure SDK then does not retry).
 * - `server-error`: a 5xx (`status`, default 500) with Key Vault's error envelope.
 * - `reset`: the TCP connection is destroyed before any response.
 * - `delay`: the normal answer, `delayMs` late (for timeouts).
 */
export type FakeKeyVaultFault =
  | (FaultScope & { readonly kind: "throttle"; readonly retryAfterSeconds?: number | null })
  | (FaultScope & { readonly kind: "server-error"; readonly status?: number })
  | (FaultScope & { readonly kind: "reset" })
  | (FaultScope & { readonly kind: "delay"; readonly delayMs: number });

/** Faults waiting to be served, applied only to requests that carry a token. */
export interface FakeKeyVaultFaults {
  /**
   * Queues a fault; the first queued fault that matches a request answers it.
   * @example `vault.faults.inject({ kind: "throttle", times: 2, retryAfterSeconds: 0 })`
   */
  inject(fault: FakeKeyVaultFault): void;
  /** Drops every queued fault. */
  clear(): void;
  /** How many requests the queued faults will still answer (`Infinity` when one is unbounded). */
  readonly pending: number;
}

interface QueuedFault {
  readonly fault: FakeKeyVaultFault;
  remaining: number;
}

/** A FIFO fault queue. */
export function createFaultQueue(): FakeKeyVaultFaults & {
  take(secret: string | null): FakeKeyVaultFault | undefined;
} {
  let queue: QueuedFault[] = [];
  return {
    inject(fault) {
      const times = fault.times ?? 1;
      if (!(times >= 1)) throw new RangeError("A fault's `times` is at least 1.");
      if (
        fault.kind === "server-error" &&
        fault.status !== undefined &&
        !(fault.status >= 500 && fault.status <= 599)
      ) {
        throw new RangeError("A server-error fault's `status` is a 5xx code.");
      }
      if (fault.kind === "delay" && !(fault.delayMs >= 0))
        throw new RangeError("A delay fault's `delayMs` is >= 0.");
      queue.push({ fault, remaining: times });
    },
    clear() {
      queue = [];
    },
    get pending() {
      return queue.reduce((sum, queued) => sum + queued.remaining, 0);
    },
    take(secret) {
      const lower = secret?.toLowerCase();
      const queued = queue.find(
        (q) => q.fault.secret === undefined || q.fault.secret.toLowerCase() === lower,
      );
      if (!queued) return undefined;
      queued.remaining -= 1;
      if (queued.remaining <= 0) queue = queue.filter((q) => q !== queued);
      return queued.fault;
    },
  };
}
