import type { IncomingMessage, ServerResponse } from "node:http";
import { answerSafely, guardHandler } from "../../server/guard-handler.js";
import { resetConnection } from "../../server/reset-connection.js";
import type { ApiRequest, ApiResult } from "../api/api-result.js";
import {
  apiError,
  errorForStatus,
  invalidApiKey,
  missingApiKey,
  planForbidden,
  SERVER_ERROR,
  unrecognizedUrl,
} from "../api/oncehub-errors.js";
import { routeApiRequest } from "../api/route-api-request.js";
import type { FaultKind, FaultSpec } from "../state/fault-injector.js";
import type { RateLimitKind } from "../state/request-log.js";
import { beginRequest } from "./begin-request.js";
import { BodyTooLargeError, readBody } from "../../server/read-body.js";
import type { SandboxContext } from "./sandbox-context.js";
import { sendResult, type SlowBody } from "./send-result.js";

const BODY_LIMIT = 64 * 1024;

/** What {@link answerSafely} sends should the pipeline itself throw. */
export const SANDBOX_FAILURE = JSON.stringify(apiError(500, "api_error", SERVER_ERROR).body);

/**
 * The HTTPS request pipeline. Paths outside `/v2/` get a 404 and nothing else. For API paths, in this order:
 * 1. fault injection (before authentication, so a fault hits any request it matches, with or without a key);
 * 2. the per-IP limit, when on: 429 (it counts whatever comes after, a failed authentication too);
 * 3. authentication: 401 without a key or with an unknown one, 403 for an account without API access;
 * 4. the account's rate limit: 429;
 * 5. the route, or an "unrecognized request URL" 404.
 * Every response carries a `Request-Id`, and every request is logged with its key's fingerprint, never the key.
 */
export function createApiHandler(
  context: SandboxContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  return guardHandler((req, res) => {
    const { requestId, method, path, query, identity, finish } = beginRequest(req, context, false);
    let fault: FaultKind | null = null;
    let limitedBy: RateLimitKind | null = null;
    const send = (result: ApiResult, slow?: SlowBody): void =>
      finish(sendResult(res, result, requestId, slow), fault, limitedBy);

    if (!path.startsWith("/v2/")) return send(unrecognizedUrl(method, path));

    const injected = context.faults.take({ method, path });
    if (injected === undefined) return serve();
    fault = injected.kind;
    switch (injected.kind) {
      case "reset":
        finish(null, fault);
        return resetConnection(res.socket);
      case "status":
        return send(statusFault(injected));
      case "redirect":
        return send({
          status: injected.status ?? 307,
          body: "",
          headers: { Location: injected.location ?? `${context.plainOrigin}${req.url ?? path}` },
        });
      case "delay": {
        const cancel = context.timers.after(injected.ms, () =>
          answerSafely(res, () => serve(), SANDBOX_FAILURE),
        );
        // A client that gave up (a timeout, an abort) gets no answer: nothing is logged for it, then or later.
        res.once("close", cancel);
        return;
      }
      case "slow-body":
        return serve({ ms: injected.ms, timers: context.timers });
    }

    function serve(slow?: SlowBody): void {
      const byAddress = context.limits.byAddress(req.socket);
      if (byAddress !== undefined) {
        limitedBy = byAddress.limitedBy;
        return send(byAddress.result, slow);
      }
      const account = identity.key?.account;
      if (account === undefined) return send(identity.presented ? invalidApiKey() : missingApiKey(), slow);
      if (!account.apiAccess) return send(planForbidden(), slow);
      const byAccount = context.limits.byAccount(account);
      if (byAccount !== undefined) {
        limitedBy = byAccount.limitedBy;
        return send(byAccount.result, slow);
      }
      const request: ApiRequest = {
        method,
        path,
        query,
        origin: context.origin,
        readBody: () => readBody(req, BODY_LIMIT),
      };
      let result: ApiResult | Promise<ApiResult>;
      try {
        result = routeApiRequest(account, request);
      } catch {
        return send(apiError(500, "api_error", SERVER_ERROR), slow);
      }
      if (!(result instanceof Promise)) return send(result, slow);
      result.then(
        (value) => answerSafely(res, () => send(value, slow), SANDBOX_FAILURE),
        (error: unknown) =>
          answerSafely(
            res,
            () =>
              send(
                error instanceof BodyTooLargeError
                  ? apiError(413, "invalid_request_error", error.message)
                  : apiError(500, "api_error", SERVER_ERROR),
                slow,
              ),
            SANDBOX_FAILURE,
          ),
      );
    }
  }, SANDBOX_FAILURE);
}

function statusFault(fault: Extract<FaultSpec, { kind: "status" }>): ApiResult {
  const base = errorForStatus(fault.status);
  return {
    status: fault.status,
    body: fault.body === undefined ? base.body : fault.body,
    ...(fault.retryAfter === undefined ? {} : { headers: { "Retry-After": String(fault.retryAfter) } }),
  };
}
