import { performance } from "node:perf_hooks";
import type { Dispatcher } from "undici";
import { ApiError } from "../errors/once-hub-api-error.js";
import { emitEvent, isObserved, notifyListener } from "../events/emit-event.js";
import type { OnceKeyEventListener } from "../events/once-key-event.js";
import type { ApiKey } from "../key/api-key.js";
import type { KeyProvider, KeyRequest } from "../providers/key-provider.js";
import { requireApiKey } from "../providers/require-api-key.js";
import { abortableDelay } from "./abortable-delay.js";
import { apiErrorFromResponse } from "./api-error-from-response.js";
import { exchange, type Exchange } from "./exchange.js";
import { followRedirect } from "./follow-redirect.js";
import type { KeyPacer } from "./key-pacer.js";
import type { UsageTracker } from "./key-usage.js";
import { classifyNetworkFailure } from "./network-failure.js";
import { parseRetryAfter } from "./parse-retry-after.js";
import { refreshRejectedKey, type RotationPolicy } from "./refresh-rejected-key.js";
import { waitUnlessClosed } from "./wait-unless-closed.js";
import { backoffDelay, isIdempotent, isRetryableStatus, type RetryPolicy } from "./retry-policy.js";
import type { RotationLog } from "./rotation-log.js";

/** Everything a client tree shares for sending: the pool, the keys, the policies, the observers. */
export interface TransportConfig {
  readonly dispatcher: Dispatcher;
  /** The base URL's origin, e.g. `https://api.oncehub.com`. */
  readonly origin: string;
  readonly keys: KeyProvider;
  readonly pacer: KeyPacer | undefined;
  readonly retry: RetryPolicy;
  readonly rotation: RotationPolicy;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly onEvent: OnceKeyEventListener | undefined;
  readonly usage: UsageTracker;
  readonly rotations: RotationLog;
  /** Aborts when the client tree closes: calls still waiting (pacing, retry, new key) end then. */
  readonly closed: AbortSignal;
}

/** One call: what to send, for whom. */
export interface TransportCall {
  readonly method: string;
  /** Path and query, e.g. `/v2/bookings?limit=100`. */
  readonly target: string;
  /** JSON text, or undefined for no body. */
  readonly body: string | undefined;
  readonly tenant: string | undefined;
  /** What is passed to `getKey`: the tenant and the signal. */
  readonly keyRequest: KeyRequest | undefined;
  readonly signal: AbortSignal | undefined;
  /** Extra request headers, as name/value pairs. */
  readonly headers: readonly string[] | undefined;
}

/** State of a call that needed more than one exchange. */
interface Recovery {
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
 * Sends a call to OnceHub and returns the parsed JSON body of its 2xx answer, applying, in order: the key from
 * the provider, the per-key pacing, the exchange with its timeouts and signal, then on failure the rules of the
 * transport (a rejected key is fetched again and the call replayed once; 429, 5xx and network failures are
 * retried within the policy, a request that may have reached OnceHub only when idempotent; a same-origin
 * redirect is followed, any other is refused). Errors are typed and never hold the key.
 *
 * The success path awaits the key (a stored promise once cached), the pacing only when the bucket is empty, and
 * the exchange; events are built only when someone listens.
 */
export async function sendRequest(config: TransportConfig, call: TransportCall): Promise<unknown> {
  const signal = call.signal;
  const callStartedAt = performance.now();
  let key = requireApiKey(await config.keys.getKey(call.keyRequest), config.keys);
  let method = call.method;
  let target = call.target;
  let body = call.body;
  let attempt = 0;
  let recovery: Recovery | undefined;
  for (;;) {
    attempt++;
    let onStart: (() => void) | undefined;
    const pacer = config.pacer;
    if (pacer !== undefined) {
      const fingerprint = key.fingerprint;
      const slack = pacer.tryTake(fingerprint) ? pacer.slackMs : await waitForPacing(config, call, key);
      const dueBy = performance.now() + slack;
      const shifted = pacer.shiftedMs(fingerprint);
      onStart = () => pacer.started(fingerprint, dueBy, shifted);
    }
    const observed = isObserved("request", config.onEvent);
    const startedAt = observed ? performance.now() : 0;
    const result = await exchange(
      config.dispatcher,
      {
        method,
        path: target,
        headers: headersFor(key, body, call.headers),
        body,
        headersTimeout: config.headersTimeoutMs,
        bodyTimeout: config.bodyTimeoutMs,
      },
      signal,
      onStart,
    );
    if (signal?.aborted === true) throw signal.reason;
    const status = result.error === undefined ? result.status : 0;
    config.usage.record(key, status);
    if (observed) reportRequest(config, call, key, method, target, result, attempt, startedAt);
    if (status >= 200 && status < 300) return parseJson(result, method, target);

    recovery ??= {
      key,
      method,
      target,
      body,
      retries: 0,
      redirects: 0,
      replayed: false,
      startedAt: callStartedAt,
    };
    recovery.key = key;
    recovery.method = method;
    recovery.target = target;
    recovery.body = body;
    await recover(config, call, recovery, result, attempt);
    ({ key, method, target, body } = recovery);
  }
}

/** Decides how a failed exchange goes on: updates `state` for the next exchange, or throws. */
async function recover(
  config: TransportConfig,
  call: TransportCall,
  state: Recovery,
  result: Exchange,
  attempt: number,
): Promise<void> {
  const { method, target, key } = state;
  const what = `${method} ${pathOf(target)}`;
  const requestId = header(result, "request-id");

  if (result.error !== undefined) {
    const failure = classifyNetworkFailure(result.error, result.started, what, config.origin);
    const allowed = failure.transient && (!failure.mayHaveReached || isIdempotent(method));
    const reason = failure.error.code === "TIMEOUT" ? "TIMEOUT" : networkCode(result.error);
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
    );
    state.redirects++;
    state.method = hop.method;
    state.target = hop.target;
    state.body = hop.body;
    return;
  }

  if (status === 401) {
    rejected(config, call, key, status, requestId);
    const next = state.replayed
      ? undefined
      : await waitUnlessClosed(config.closed, call.signal, what, (signal) =>
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
    rotated(config, call, key, next);
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
  if (isObserved("retry", config.onEvent)) {
    emitEvent(
      {
        type: "retry",
        time: Date.now(),
        ...(call.tenant === undefined ? {} : { tenant: call.tenant }),
        method: state.method,
        path: pathOf(state.target),
        attempt,
        delayMs,
        reason,
        fingerprint: state.key.fingerprint,
      },
      config.onEvent,
    );
  }
  if (delayMs > 0) {
    await waitUnlessClosed(config.closed, call.signal, `${state.method} ${pathOf(state.target)}`, (signal) =>
      abortableDelay(delayMs, signal),
    );
  }
  return true;
}

/** Queues for the key's next token, reporting the estimated wait; resolves with the token's slack. */
async function waitForPacing(config: TransportConfig, call: TransportCall, key: ApiKey): Promise<number> {
  const pacer = config.pacer as KeyPacer;
  if (isObserved("paced", config.onEvent)) {
    emitEvent(
      {
        type: "paced",
        time: Date.now(),
        ...(call.tenant === undefined ? {} : { tenant: call.tenant }),
        fingerprint: key.fingerprint,
        waitMs: pacer.estimateWait(key.fingerprint),
      },
      config.onEvent,
    );
  }
  return waitUnlessClosed(config.closed, call.signal, `${call.method} ${pathOf(call.target)}`, (signal) =>
    pacer.wait(key.fingerprint, signal),
  );
}

function headersFor(key: ApiKey, body: string | undefined, extra: readonly string[] | undefined): string[] {
  const headers =
    body === undefined
      ? ["API-Key", key.reveal()]
      : ["API-Key", key.reveal(), "Content-Type", "application/json"];
  if (extra !== undefined) for (const item of extra) headers.push(item);
  return headers;
}

function parseJson(result: Exchange, method: string, target: string): unknown {
  const body = result.body;
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body.toString());
  } catch (cause) {
    const requestId = header(result, "request-id");
    throw new ApiError(
      `OnceHub answered ${method} ${pathOf(target)} with ${result.status} and a body that is not JSON.` +
        (requestId === undefined ? "" : ` Request-Id ${requestId}.`),
      { status: result.status, cause, ...(requestId === undefined ? {} : { requestId }) },
    );
  }
}

function reportRequest(
  config: TransportConfig,
  call: TransportCall,
  key: ApiKey,
  method: string,
  target: string,
  result: Exchange,
  attempt: number,
  startedAt: number,
): void {
  const requestId = header(result, "request-id");
  emitEvent(
    {
      type: "request",
      time: Date.now(),
      ...(call.tenant === undefined ? {} : { tenant: call.tenant }),
      method,
      path: pathOf(target),
      status: result.error === undefined ? result.status : 0,
      attempt,
      durationMs: performance.now() - startedAt,
      fingerprint: key.fingerprint,
      ...(requestId === undefined ? {} : { requestId }),
      ...(result.error === undefined ? {} : { errorCode: networkCode(result.error) }),
    },
    config.onEvent,
  );
}

function rejected(
  config: TransportConfig,
  call: TransportCall,
  key: ApiKey,
  status: number,
  requestId: string | undefined,
): void {
  emitEvent(
    {
      type: "key:rejected",
      time: Date.now(),
      ...(call.tenant === undefined ? {} : { tenant: call.tenant }),
      fingerprint: key.fingerprint,
      source: key.source,
      status,
      ...(requestId === undefined ? {} : { requestId }),
    },
    config.onEvent,
  );
}

/**
 * Tells the client's listener that a rejected key was replaced. Only the listener: the provider's cache
 * publishes its own `key:rotated` on the diagnostics channel, and a subscriber must not see each rotation twice.
 */
function rotated(config: TransportConfig, call: TransportCall, previous: ApiKey, next: ApiKey): void {
  if (config.onEvent === undefined) return;
  if (!config.rotations.first(call.tenant, previous.fingerprint, next.fingerprint)) return;
  notifyListener(
    {
      type: "key:rotated",
      time: Date.now(),
      ...(call.tenant === undefined ? {} : { tenant: call.tenant }),
      previousFingerprint: previous.fingerprint,
      fingerprint: next.fingerprint,
      source: next.source,
    },
    config.onEvent,
  );
}

function header(result: Exchange, name: string): string | undefined {
  const value = result.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function networkCode(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : error.name;
}

function pathOf(target: string): string {
  const mark = target.indexOf("?");
  return mark === -1 ? target : target.slice(0, mark);
}
