import { NetworkError } from "../errors/network-error.js";

/** The reason a wait is aborted with when the client closes; never seen outside this module. */
const CLOSED = new Error("closed");

/**
 * Runs `wait` (pacing, the backoff before a retry, the wait for a new key) with a signal that aborts when the
 * call's own signal does or when the client closes. A close ends the call with a {@link NetworkError} at once: a
 * call that is not on the wire has nothing to finish, and its timer must not keep the process alive.
 *
 * @param closed - Aborts when the client closes.
 * @param signal - The call's signal.
 * @param what - The call, for the message, e.g. `GET /v2/test`.
 * @param wait - The wait, given the combined signal.
 */
export async function waitUnlessClosed<T>(
  closed: AbortSignal,
  signal: AbortSignal | undefined,
  what: string,
  wait: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (closed.aborted) throw closedError(what);
  if (signal?.aborted === true) throw signal.reason;
  const either = new AbortController();
  const onAbort = (): void => either.abort(signal?.reason);
  const onClose = (): void => either.abort(CLOSED);
  signal?.addEventListener("abort", onAbort, { once: true });
  closed.addEventListener("abort", onClose, { once: true });
  try {
    return await wait(either.signal);
  } catch (error) {
    throw error === CLOSED ? closedError(what) : error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    closed.removeEventListener("abort", onClose);
  }
}

function closedError(what: string): NetworkError {
  return new NetworkError(`${what} was not sent: the OnceHubClient was closed while the call waited.`);
}
