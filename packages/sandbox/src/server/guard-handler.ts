import type { IncomingMessage, ServerResponse } from "node:http";

/** A request handler, as `http.createServer` takes it. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Runs `answer` and, should it throw, answers 500 with `failure` instead (or drops the connection when the
 * headers are already out). The servers run inside a user's test process: an exception escaping a request
 * handler would be uncaught and end that process, so no request may ever cause one.
 *
 * @param res - the response being answered
 * @param answer - writes the response
 * @param failure - the 500 body, already serialized JSON
 * @example
 * ```ts
 * answerSafely(res, () => respond(req, res), JSON.stringify({ error: { code: "InternalServerError" } }));
 * ```
 */
export function answerSafely(res: ServerResponse, answer: () => void, failure: string): void {
  try {
    answer();
  } catch {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    try {
      res.writeHead(500, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(failure),
      });
      res.end(failure);
    } catch {
      res.destroy();
    }
  }
}

/**
 * Wraps a request handler with {@link answerSafely}.
 *
 * @param handler - the handler to guard
 * @param failure - the 500 body, already serialized JSON
 * @example
 * ```ts
 * https.createServer(tls, guardHandler(handler, JSON.stringify({ type: "api_error", message: "…" })));
 * ```
 */
export function guardHandler(handler: RequestHandler, failure: string): RequestHandler {
  return (req, res) => answerSafely(res, () => handler(req, res), failure);
}
