import type { IncomingMessage, ServerResponse } from "node:http";
import { apiError, HTTPS_REQUIRED } from "../api/oncehub-errors.js";
import type { SandboxContext } from "./create-api-handler.js";
import { identifyRequest, splitTarget } from "./identify-request.js";
import { sendResult } from "./send-result.js";

/**
 * The plain-HTTP listener: every request fails (400 `invalid_request_error`, an [UNCONFIRMED] choice: OnceHub
 * documents only that plain HTTP "will fail") and is logged with `plain: true` and the fingerprint of any key it
 * carried, so a test can prove a client never sent its key in clear.
 */
export function createPlainHandler(
  context: SandboxContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const time = Date.now();
    const requestId = context.nextRequestId();
    const { path, query } = splitTarget(req.url ?? "/");
    const identity = identifyRequest(req, context.store);
    const status = sendResult(res, apiError(400, "invalid_request_error", HTTPS_REQUIRED), requestId);
    context.log.record({
      requestId,
      time,
      method: req.method ?? "GET",
      path,
      query,
      accountId: identity.key?.account.id ?? null,
      fingerprint: identity.fingerprint,
      status,
      plain: true,
      fault: null,
    });
  };
}
