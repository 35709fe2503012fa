import { performance } from "node:perf_hooks";
import { ApiError } from "../errors/once-hub-api-error.js";
import { isObserved } from "../events/emit-event.js";
import type { ApiKey } from "../key/api-key.js";
import { requireApiKey } from "../providers/require-api-key.js";
import { exchange, type Exchange } from "./exchange.js";
import { abortableDelay } from "./abortable-delay.js";
import type { PacingTicket } from "./pacing/client-pacing.js";
import type { Attempt } from "./attempt.js";
import { recover } from "./recover.js";
import { redactKey } from "./redact-key.js";
import { pathOf } from "./request-target.js";
import { safeRequestId } from "./safe-request-id.js";
import type { TransportCall, TransportConfig } from "./transport-config.js";
import { reportRequest, reportRetry } from "./transport-events.js";

/**
 * Sends a call to OnceHub and returns the parsed JSON body of its 2xx answer, applying, in order: the key from
 * the provider, the pacing (the account's and the egress's budgets), the exchange with its timeouts and signal, then on failure the rules of the
 * transport ({@link recover}: a rejected key is fetched again and the call replayed once; 429, 5xx and network
 * failures are retried within the policy, a request that may have reached OnceHub only when idempotent; a
 * same-origin redirect is followed, any other is refused). Errors are typed and never hold the key.
 *
 * The success path awaits the key (a stored promise once cached), the pacing only when a budget is short or the
 * store is shared (Redis), and
 * the exchange; events are built only when someone listens.
 *
 * @param config - The client tree's transport.
 * @param call - What to send, for whom.
 */
export async function sendRequest(config: TransportConfig, call: TransportCall): Promise<unknown> {
  const signal = call.signal;
  const first = requireApiKey(await config.keys.getKey(call.keyRequest), config.keys);
  let attempt: Attempt = {
    key: first,
    method: call.method,
    target: call.target,
    body: call.body,
    number: 1,
    retries: 0,
    redirects: 0,
    replayed: false,
    keys: first,
  };
  for (;;) {
    const { key, method, target, body } = attempt;
    let ticket: PacingTicket | undefined;
    if (config.pacing !== undefined) {
      const paced = config.pacing.take(config, call, key);
      ticket = paced instanceof Promise ? await paced : paced;
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
      ticket?.started,
      call.deadlineAt,
    );
    // A request that never reached the wire must not hold the next ones back; one that did holds its window slot
    // from its answer on.
    ticket?.finished(result.started);
    if (signal?.aborted === true) throw signal.reason;
    const status = result.error === undefined ? result.status : 0;
    config.usage.record(key, status);
    if (observed) reportRequest(config, call, attempt, result, startedAt);
    if (status >= 200 && status < 300) return parseJson(result, attempt);

    const recovery = await recover(config, call, attempt, result);
    switch (recovery.action) {
      case "fail":
        throw recovery.error;
      case "retry":
        reportRetry(config, call, attempt, recovery.delayMs, recovery.reason);
        if (recovery.delayMs > 0) {
          const what = `${method} ${redactKey(pathOf(target), attempt.keys)}`;
          await config.waits.run(signal, what, (s) => abortableDelay(recovery.delayMs, s), call.deadlineAt);
        }
        attempt = { ...attempt, number: attempt.number + 1, retries: attempt.retries + 1 };
        break;
      case "redirect":
        attempt = {
          ...attempt,
          ...recovery.hop,
          number: attempt.number + 1,
          redirects: attempt.redirects + 1,
        };
        break;
      case "replay":
        attempt = {
          ...attempt,
          key: recovery.key,
          number: attempt.number + 1,
          replayed: true,
          keys: [...(Array.isArray(attempt.keys) ? attempt.keys : [attempt.key]), recovery.key],
        };
        break;
    }
  }
}

function headersFor(key: ApiKey, body: string | undefined, extra: readonly string[] | undefined): string[] {
  const headers =
    body === undefined
      ? ["API-Key", key.reveal()]
      : ["API-Key", key.reveal(), "Content-Type", "application/json"];
  if (extra !== undefined) for (const item of extra) headers.push(item);
  return headers;
}

const MEDIA_TYPE = /^[\w!#$&^.+-]{1,64}\/[\w!#$&^.+-]{1,64}/;

/**
 * The body of a 2xx answer, parsed. One that is not JSON is an `ApiError` that says how long it was, its media
 * type and where parsing failed, but keeps no `cause`: V8's `SyntaxError` quotes the body, which may echo the key.
 */
function parseJson(result: Exchange, attempt: Attempt): unknown {
  const body = result.body;
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body.toString());
  } catch (error) {
    const keys = attempt.keys;
    const requestId = safeRequestId(result.header("request-id"), keys);
    const mediaType = MEDIA_TYPE.exec(result.header("content-type") ?? "")?.[0];
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    const path = redactKey(pathOf(attempt.target), keys);
    const details = [
      `${body.length} bytes`,
      ...(mediaType === undefined ? [] : [redactKey(mediaType, keys)]),
      ...(position === undefined ? [] : [`invalid at position ${position}`]),
    ];
    throw new ApiError(
      `OnceHub answered ${attempt.method} ${path} with ${result.status} and a body that is not JSON ` +
        `(${details.join(", ")}).${requestId === undefined ? "" : ` Request-Id ${requestId}.`}`,
      { status: result.status, ...(requestId === undefined ? {} : { requestId }) },
    );
  }
}
