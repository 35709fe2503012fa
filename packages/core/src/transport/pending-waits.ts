import { performance } from "node:perf_hooks";
import { NetworkError } from "../errors/network-error.js";
import { TimeoutError } from "../errors/timeout-error.js";
import { MAX_TIMER_MS } from "../options/number-option.js";

/** The reason a wait is aborted with when the client closes; never seen outside this module. */
const CLOSED = new Error("closed");
/** The reason a wait is aborted with when its call's deadline passes; never seen outside this module. */
const DEADLINE = new Error("deadline");

/**
 * The waits of a client tree's calls that are not on the wire (pacing, the backoff before a retry, the wait for
 * a new key), so that `close()` can end them at once: such a call has nothing to finish, and its timer must not
 * keep the process alive. Each wait is held here, not as a listener on a shared signal, so a thousand queued
 * calls add no listeners to anything long-lived.
 */
export class PendingWaits {
  readonly #waits = new Set<AbortController>();
  #closed = false;

  /** Ends every wait, now and later, with a {@link NetworkError}. */
  close(): void {
    this.#closed = true;
    for (const wait of this.#waits) wait.abort(CLOSED);
    this.#waits.clear();
  }

  /**
   * Runs `wait` with a signal that aborts when the call's own signal does, when the call's deadline passes or when
   * the client closes; a close rejects with a {@link NetworkError} naming the call, a deadline with a
   * {@link TimeoutError} (phase `total`).
   *
   * @param signal - The call's signal.
   * @param what - The call, for the message, e.g. `GET /v2/test`.
   * @param wait - The wait, given the combined signal.
   * @param deadlineAt - When the call must end (`performance.now()` time).
   */
  async run<T>(
    signal: AbortSignal | undefined,
    what: string,
    wait: (signal: AbortSignal) => Promise<T>,
    deadlineAt = Infinity,
  ): Promise<T> {
    if (this.#closed) throw closedError(what);
    if (signal?.aborted === true) throw signal.reason;
    const left = deadlineAt - performance.now();
    if (left <= 0) throw deadlineError(what);
    const either = new AbortController();
    const onAbort = (): void => either.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer =
      deadlineAt === Infinity
        ? undefined
        : setTimeout(() => either.abort(DEADLINE), Math.min(left, MAX_TIMER_MS));
    this.#waits.add(either);
    try {
      return await wait(either.signal);
    } catch (error) {
      if (error === CLOSED) throw closedError(what);
      if (error === DEADLINE) throw deadlineError(what);
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      this.#waits.delete(either);
    }
  }
}

function closedError(what: string): NetworkError {
  return new NetworkError(`${what} was not sent: the OnceHubClient was closed while the call waited.`, {
    transient: false,
  });
}

function deadlineError(what: string): TimeoutError {
  return new TimeoutError(
    `${what} did not finish within its deadline (timeouts.totalMs): it was still waiting (for pacing, a retry ` +
      "or a new key) when the deadline passed.",
    { phase: "total" },
  );
}
