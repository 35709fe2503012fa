import type { IncomingMessage, ServerResponse } from "node:http";
import { apiError, HTTPS_REQUIRED } from "../api/oncehub-errors.js";
import { guardHandler } from "../../server/guard-handler.js";
import { SANDBOX_FAILURE } from "./create-api-handler.js";
import type { SandboxContext } from "./sandbox-context.js";
import { beginRequest } from "./begin-request.js";
import { sendResult } from "./send-result.js";

/**
 * The plain-HTTP listener: every request fails (400 `invalid_request_error`, an [UNCONFIRMED] choice: OnceHub
 * documents only that plain HTTP "will fail") and is logged with `plain: true` and the fingerprint of any key it
 * carried, so a test can prove a client never sent its key in clear.
 */
export function createPlainHandler(
  context: SandboxContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  return guardHandler((req, res) => {
    const { requestId, finish } = beginRequest(req, context, true);
    finish(sendResult(res, apiError(400, "invalid_request_error", HTTPS_REQUIRED), requestId));
  }, SANDBOX_FAILURE);
}
