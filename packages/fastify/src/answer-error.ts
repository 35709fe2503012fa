import type { OnceKeyError } from "@oncekey/core";
import type { HttpErrorAnswer } from "@oncekey/core/http";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Sends `answer` for `error`, and logs it the way Fastify's own error handler does (the server's faults at
 * `error`, OnceHub's at `warn`, the caller's at `info`), with the code and the library's message and never a
 * stack: an oncekey error's stack says nothing an operator needs, and its message never holds a key.
 */
export function answerError(
  error: OnceKeyError,
  answer: HttpErrorAnswer,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const level = answer.fault === "server" ? "error" : answer.fault === "upstream" ? "warn" : "info";
  request.log[level]({ oncekey: { code: error.code, status: answer.status } }, error.message);
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}
