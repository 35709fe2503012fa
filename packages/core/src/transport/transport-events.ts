import { performance } from "node:perf_hooks";
import { emitEvent, isObserved } from "../events/emit-event.js";
import type { RequestEvent } from "../events/once-key-event.js";
import type { ApiKey } from "../key/api-key.js";
import type { Exchange } from "./exchange.js";
import type { Attempt } from "./attempt.js";
import { errorCode } from "./network-failure.js";
import { redactKey } from "./redact-key.js";
import { pathOf } from "./request-target.js";
import { safeRequestId } from "./safe-request-id.js";
import type { TransportCall, TransportConfig } from "./transport-config.js";

/** The event fields of the call's tenant: none for a single-tenant client. */
function tenantOf(call: TransportCall): { tenant?: string } {
  return call.tenant === undefined ? {} : { tenant: call.tenant };
}

/**
 * `request`: one exchange finished (call it only when {@link isObserved} says someone listens). The path (a
 * server's `Location` after a redirect) and `Request-Id` carry no trace of the keys the call sent. The event is
 * one object literal with the optional fields added after, not a spread of partial objects.
 */
export function reportRequest(
  config: TransportConfig,
  call: TransportCall,
  attempt: Attempt,
  result: Exchange,
  startedAt: number,
): void {
  const durationMs = performance.now() - startedAt;
  const time = Date.now();
  const keys = attempt.keys;
  const requestId = safeRequestId(result.header("request-id"), keys);
  const origin = config.origin;
  const method = attempt.method;
  const path = redactKey(pathOf(attempt.target), keys);
  const error = result.error;
  const status = error === undefined ? result.status : 0;
  const number = attempt.number;
  const fingerprint = attempt.key.fingerprint;
  const tenant = call.tenant;
  const callId = call.id;
  const event: Writable<RequestEvent> =
    tenant === undefined
      ? {
          type: "request",
          time,
          callId,
          origin,
          method,
          path,
          status,
          attempt: number,
          durationMs,
          fingerprint,
        }
      : {
          type: "request",
          time,
          tenant,
          callId,
          origin,
          method,
          path,
          status,
          attempt: number,
          durationMs,
          fingerprint,
        };
  if (requestId !== undefined) event.requestId = requestId;
  if (error !== undefined) event.errorCode = errorCode(error);
  emitEvent(event, config.onEvent);
}

/** An event as it is built. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** `retry`: the call is sent again after `delayMs`; `attempt` is the exchange that failed. */
export function reportRetry(
  config: TransportConfig,
  call: TransportCall,
  attempt: Attempt,
  delayMs: number,
  reason: string,
): void {
  if (!isObserved("retry", config.onEvent)) return;
  emitEvent(
    {
      type: "retry",
      time: Date.now(),
      ...tenantOf(call),
      callId: call.id,
      method: attempt.method,
      path: redactKey(pathOf(attempt.target), attempt.keys),
      attempt: attempt.number,
      delayMs,
      reason,
      fingerprint: attempt.key.fingerprint,
    },
    config.onEvent,
  );
}

/** `key:rejected`: OnceHub refused the key; `requestId` is already made safe by {@link safeRequestId}. */
export function reportRejected(
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
      ...tenantOf(call),
      callId: call.id,
      fingerprint: key.fingerprint,
      source: key.source,
      status,
      ...(requestId === undefined ? {} : { requestId }),
    },
    config.onEvent,
  );
}
