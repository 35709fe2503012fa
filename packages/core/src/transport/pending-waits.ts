import { NetworkError } from "../errors/network-error.js";

/** The reason a wait is aborted with when the client closes; never seen outside this module. */
const CLOSED = new Error("closed");

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
   * Runs `wait` with a signal that aborts when the call's own signal does or when the client closes; a close
   * rejects with a {@link NetworkError} naming the call.
   *
   * @param signal - The call's signal.
   * @param what - The call, for the message, e.g. `GET /v2/test`.
   * @param wait - The wait, given the combined signal.
   */
  async run<T>(
    signal: AbortSignal | undefined,
    what: string,
    wait: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (this.#closed) throw closedError(what);
    if (signal?.aborted === true) throw signal.reason;
    const either = new AbortController();
    const onAbort = (): void => either.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#waits.add(either);
    try {
      return await wait(either.signal);
    } catch (error) {
      throw error === CLOSED ? closedError(what) : error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      this.#waits.delete(either);
    }
  }
}

function closedError(what: string): NetworkError {
  return new NetworkError(`${what} was not sent: the OnceHubClient was closed while the call waited.`);
}
