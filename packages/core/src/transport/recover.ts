import { performance } from "node:perf_hooks";
import type { ApiKey } from "../key/api-key.js";
import { abortableDelay } from "./abortable-delay.js";
import { apiErrorFromResponse } from "./api-error-from-response.js";
import type { Exchange } from "./exchange.js";
import { followRedirect } from "./follow-redirect.js";
import { classifyNetworkFailure, errorCode } from "./network-failure.js";
import { parseRetryAfter } from "./parse-retry-after.js";
import { redactKey } from "./redact-key.js";
import { refreshRejectedKey } from "./refresh-rejected-key.js";
import { pathOf } from "./request-target.js";
import { backoffDelay, isIdempotent, isRetryableStatus } from "./retry-policy.js";
import { safeRequestId } from "./safe-request-id.js";
import type { TransportCall, TransportConfig } from "./transport-config.js";
import { reportRejected, reportRetry } from "./transport-events.js";

/** What the next exchange of a call that failed once sends, and what it has used up. */
export interface Recovery {
  key: ApiKey;
  method: string;
  target: string;
  body: string | undefined;
  retries: number;
  redirects: number;
  replayed: boolean;
  readonly startedAt: number;
}

/**
 * Decides how a call goes on after an exchange that did not succeed: updates `state` for the next exchange, or
 * throws the typed error.
 *
 * - No response: retried when the failure may pass, and, if the request may have reached OnceHub, only for an
 *   idempotent method.
 * - 3xx: followed within the base URL's origin, refused to any other ({@link followRedirect}).
 * - 401: the key is invalidated and fetched again; replayed once if it changed, else an `AuthenticationError`.
 * - 403: an `AuthenticationError` at once. 429 (any method: OnceHub did not process it) and 500/502/503/504
 *   (idempotent methods): retried with backoff or `Retry-After`, within the policy.
 *
 * @param config - The client tree's transport.
 * @param call - The call.
 * @param state - The exchange that failed; updated in place.
 * @param result - Its outcome.
 * @param attempt - Its number, 1 for the first.
 */
export async function recover(
  config: TransportConfig,
  call: TransportCall,
  state: Recovery,
  result: Exchange,
  attempt: number,
): Promise<void> {
  const { method, target, key } = state;
  // After a redirect, the path is the server's Location.
  const what = `${method} ${redactKey(pathOf(target), key)}`;
  const requestId = safeRequestId(result.header("request-id"), key);

  if (result.error !== undefined) {
    const failure = classifyNetworkFailure(result.error, result.started, what, config.origin, key);
    const allowed = failure.transient && (!failure.mayHaveReached || isIdempotent(method));
    const reason = failure.error.code === "TIMEOUT" ? "TIMEOUT" : errorCode(result.error);
    if (!allowed || !(await retryAfterWait(config, call, state, attempt, reason, undefined)))
      throw failure.error;
    return;
  }

  const status = result.status;
  if (status >= 300 && status < 400) {
    const hop = followRedirect(
      config.origin,
      status,
      result.headers.location,
      state,
      state.redirects,
      what,
      requestId,
      key,
    );
    state.redirects++;
    state.method = hop.method;
    state.target = hop.target;
    state.body = hop.body;
    return;
  }

  if (status === 401) {
    reportRejected(config, call, key, status, requestId);
    const next = state.replayed
      ? undefined
      : await config.waits.run(call.signal, what, (signal) =>
          refreshRejectedKey(config.keys, key, { ...call.keyRequest, signal }, config.rotation),
        );
    if (next === undefined) {
      throw apiErrorFromResponse({
        status,
        body: result.body,
        requestId,
        what,
        tenant: call.tenant,
        key,
        note: state.replayed
          ? "The key was fetched again after a first rejection, and OnceHub rejected the new key too."
          : config.rotation.waitForNewKeyMs > 0
            ? `The key was fetched again for ${config.rotation.waitForNewKeyMs} ms and the source kept serving it.`
            : "The key was fetched again and the source still serves the same key.",
      });
    }
    state.replayed = true;
    state.key = next;
    return;
  }

  if (status === 403) {
    throw apiErrorFromResponse({ status, body: result.body, requestId, what, tenant: call.tenant, key });
  }

  if (status === 429) config.pacer?.drain(key.fingerprint);
  const retryable = status === 429 || (isRetryableStatus(status) && isIdempotent(method));
  // OnceHub documents no Retry-After; when a server or gateway sends one (429 or 503), it is honoured.
  const retryAfterMs =
    status === 429 || isRetryableStatus(status)
      ? parseRetryAfter(result.headers["retry-after"], Date.now())
      : undefined;
  if (retryable && (await retryAfterWait(config, call, state, attempt, String(status), retryAfterMs))) return;
  throw apiErrorFromResponse({
    status,
    body: result.body,
    requestId,
    what,
    tenant: call.tenant,
    key,
    retryAfterMs,
    ...(state.retries > 0 ? { note: `Tried ${state.retries + 1} times.` } : {}),
  });
}

/** Waits before a retry if the policy allows one more; returns false when it does not. */
async function retryAfterWait(
  config: TransportConfig,
  call: TransportCall,
  state: Recovery,
  attempt: number,
  reason: string,
  retryAfterMs: number | undefined,
): Promise<boolean> {
  const policy = config.retry;
  if (state.retries + 1 >= policy.maxAttempts) return false;
  const delayMs = retryAfterMs ?? backoffDelay(policy, state.retries + 1);
  if (performance.now() - state.startedAt + delayMs > policy.maxElapsedMs) return false;
  state.retries++;
  reportRetry(config, call, state.key, state, attempt, delayMs, reason);
  if (delayMs > 0) {
    const what = `${state.method} ${redactKey(pathOf(state.target), state.key)}`;
    await config.waits.run(call.signal, what, (signal) => abortableDelay(delayMs, signal));
  }
  return true;
}
