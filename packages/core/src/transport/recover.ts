import { performance } from "node:perf_hooks";
import type { ApiKey } from "../key/api-key.js";
import { apiErrorFromResponse } from "./api-error-from-response.js";
import type { Exchange } from "./exchange.js";
import { followRedirect, type RedirectHop } from "./follow-redirect.js";
import { classifyNetworkFailure, errorCode } from "./network-failure.js";
import { parseRetryAfter } from "./parse-retry-after.js";
import { redactKey } from "./redact-key.js";
import { refreshRejectedKey } from "./refresh-rejected-key.js";
import { pathOf } from "./request-target.js";
import { backoffDelay, isIdempotent, isRetryableStatus } from "./retry-policy.js";
import { safeRequestId } from "./safe-request-id.js";
import type { TransportCall, TransportConfig } from "./transport-config.js";
import type { Attempt } from "./attempt.js";
import { reportRejected } from "./transport-events.js";

/** How a call goes on after an exchange that did not succeed. */
export type Recovery =
  /** Send the same request again after `delayMs`. */
  | { readonly action: "retry"; readonly delayMs: number; readonly reason: string }
  /** Follow a same-origin redirect. */
  | { readonly action: "redirect"; readonly hop: RedirectHop }
  /** Send the request again with a new key. */
  | { readonly action: "replay"; readonly key: ApiKey }
  /** Give up with this error. */
  | { readonly action: "fail"; readonly error: Error };

/**
 * Decides how a call goes on after an exchange that did not succeed, by the rules of the transport:
 *
 * - No response: retried when the failure may pass, and, if the request may have reached OnceHub, only for an
 *   idempotent method.
 * - 3xx: followed within the base URL's origin, refused to any other ({@link followRedirect}).
 * - 401: the key is invalidated and fetched again (the one wait this decision itself makes); replayed once if it
 *   changed, else an `AuthenticationError`.
 * - 403: an `AuthenticationError` at once. 429 (any method: OnceHub did not process it) and 500/502/503/504
 *   (idempotent methods): retried with backoff or `Retry-After`, within the policy and the call's deadline.
 *
 * Every error names the request without any trace of the keys the call sent.
 *
 * @param config - The client tree's transport.
 * @param call - The call.
 * @param attempt - The exchange that failed.
 * @param result - Its outcome.
 */
export async function recover(
  config: TransportConfig,
  call: TransportCall,
  attempt: Attempt,
  result: Exchange,
): Promise<Recovery> {
  const { method, target, key, keys } = attempt;
  // After a redirect, the path is the server's Location.
  const what = `${method} ${redactKey(pathOf(target), keys)}`;
  const requestId = safeRequestId(result.header("request-id"), keys);

  if (result.error !== undefined) {
    const failure = classifyNetworkFailure(result.error, result.started, what, config.origin, keys);
    const allowed = failure.transient && (!failure.mayHaveReached || isIdempotent(method));
    const reason = failure.error.code === "TIMEOUT" ? "TIMEOUT" : errorCode(result.error);
    return (allowed && retry(config, call, attempt, reason, undefined)) || fail(failure.error);
  }

  const status = result.status;
  const failed = (note?: string, retryAfterMs?: number): Recovery =>
    fail(
      apiErrorFromResponse({
        status,
        body: result.body,
        requestId,
        what,
        tenant: call.tenant,
        key,
        keys,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        ...(note === undefined ? {} : { note }),
      }),
    );

  if (status >= 300 && status < 400) {
    try {
      const hop = followRedirect(
        config.origin,
        status,
        result.headers.location,
        attempt,
        attempt.redirects,
        what,
        requestId,
        keys,
      );
      return { action: "redirect", hop };
    } catch (error) {
      return fail(error as Error);
    }
  }

  if (status === 401) {
    reportRejected(config, call, key, status, requestId);
    if (attempt.replayed) {
      return failed(
        "The key was fetched again after a first rejection, and OnceHub rejected the new key too.",
      );
    }
    const next = await config.waits.run(
      call.signal,
      what,
      (signal) => refreshRejectedKey(config.keys, key, { ...call.keyRequest, signal }, config.rotation),
      call.deadlineAt,
    );
    if (next !== undefined) return { action: "replay", key: next };
    return failed(
      config.rotation.waitForNewKeyMs > 0
        ? `The key was fetched again for ${config.rotation.waitForNewKeyMs} ms and the source kept serving it.`
        : "The key was fetched again and the source still serves the same key.",
    );
  }

  if (status === 403) return failed();

  if (status === 429) config.pacing?.drain(call, key);
  const retryable = status === 429 || (isRetryableStatus(status) && isIdempotent(method));
  // OnceHub documents no Retry-After; when a server or gateway sends one (429 or 503), it is honoured.
  const retryAfterMs =
    status === 429 || isRetryableStatus(status)
      ? parseRetryAfter(result.headers["retry-after"], Date.now())
      : undefined;
  if (retryable) {
    const next = retry(config, call, attempt, String(status), retryAfterMs);
    if (next !== undefined) return next;
  }
  const notes = [
    ...(attempt.retries > 0 ? [`Tried ${attempt.retries + 1} times.`] : []),
    ...(status === 404 && config.versionHint !== undefined ? [config.versionHint] : []),
  ];
  return failed(notes.length === 0 ? undefined : notes.join(" "), retryAfterMs);
}

/**
 * A retry, if the policy allows one more and its wait ends within `maxElapsedMs` and the call's deadline;
 * `undefined` otherwise.
 */
function retry(
  config: TransportConfig,
  call: TransportCall,
  attempt: Attempt,
  reason: string,
  retryAfterMs: number | undefined,
): Recovery | undefined {
  const policy = config.retry;
  if (attempt.retries + 1 >= policy.maxAttempts) return undefined;
  const delayMs = retryAfterMs ?? backoffDelay(policy, attempt.retries + 1);
  const resumeAt = performance.now() + delayMs;
  if (resumeAt - call.startedAt > policy.maxElapsedMs || resumeAt >= call.deadlineAt) return undefined;
  return { action: "retry", delayMs, reason };
}

function fail(error: Error): Recovery {
  return { action: "fail", error };
}
