import { performance } from "node:perf_hooks";
import { emitEvent, isObserved } from "../events/emit-event.js";
import type { ApiKey } from "../key/api-key.js";
import type { Exchange } from "./exchange.js";
import type { Attempt } from "./recover.js";
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
 * server's `Location` after a redirect) and `Request-Id` carry no trace of the keys the call sent.
 */
export function reportRequest(
  config: TransportConfig,
  call: TransportCall,
  attempt: Attempt,
  result: Exchange,
  startedAt: number,
): void {
  const requestId = safeRequestId(result.header("request-id"), attempt.keys);
  emitEvent(
    {
      type: "request",
      time: Date.now(),
      ...tenantOf(call),
      origin: config.origin,
      method: attempt.method,
      path: redactKey(pathOf(attempt.target), attempt.keys),
      status: result.error === undefined ? result.status : 0,
      attempt: attempt.number,
      durationMs: performance.now() - startedAt,
      fingerprint: attempt.key.fingerprint,
      ...(requestId === undefined ? {} : { requestId }),
      ...(result.error === undefined ? {} : { errorCode: errorCode(result.error) }),
    },
    config.onEvent,
  );
}

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
      fingerprint: key.fingerprint,
      source: key.source,
      status,
      ...(requestId === undefined ? {} : { requestId }),
    },
    config.onEvent,
  );
}
