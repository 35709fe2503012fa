import type { OnceKeyError } from "@oncekey/core";
import { httpErrorAnswer } from "@oncekey/core/http";
import { checkOptionNames, functionOption } from "@oncekey/core/source";
import type { ErrorRequestHandler, Request } from "express";
import { requestTenants } from "./request-tenants.js";

/**
 * Options of {@link oncehubErrors}.
 *
 * @example
 * ```ts
 * const options: OncehubErrorsOptions = { onServerFault: (error, req) => logger.error({ code: error.code, path: req.path }, error.message) };
 * ```
 */
export interface OncehubErrorsOptions {
  /**
   * Receives each oncekey error that is this server's to fix (answered 500, or 502 for a key OnceHub refused):
   * the answer holds a fixed sentence, so this is where its message reaches the operators. oncekey's messages
   * never hold a key.
   * @defaultValue one line on standard error, `oncekey: <code>: <message>`, as Express's own handler prints errors
   */
  readonly onServerFault?: (error: OnceKeyError, req: Request) => void;
}

/**
 * Express error middleware that answers oncekey errors as HTTP, the same way in every oncekey integration
 * (`httpErrorAnswer` of `@oncekey/core/http`): `InvalidTenantError` 400, an unknown tenant 404, OnceHub's refusal
 * of the caller's input with OnceHub's 4xx, a rate limit 503 with `Retry-After`, a timeout 504, OnceHub or the
 * network failing 502, this server's own setup 500. The body is `{ "error": { "code", "message" } }` with the
 * library's message (a fixed sentence for the server's own faults), never a stack. Every other error goes on to
 * the app's own error handlers untouched.
 *
 * Mount it after the routes, before your own error handler.
 *
 * @param options - {@link OncehubErrorsOptions}.
 * @returns The error middleware.
 * @throws `ConfigError` for an unknown option or an `onServerFault` that is not a function.
 * @example
 * ```ts
 * app.use(oncehubErrors());
 * app.use((error, req, res, next) => res.status(500).json({ error: "internal" })); // everything else
 * ```
 */
export function oncehubErrors(options: OncehubErrorsOptions = {}): ErrorRequestHandler {
  checkOptionNames(options as unknown, ["onServerFault"], "oncehubErrors");
  const onServerFault =
    functionOption<(error: OnceKeyError, req: Request) => void>(
      options.onServerFault,
      "onServerFault",
      "receives the errors that are the server's to fix",
      "oncehubErrors",
    ) ?? printServerFault;
  return (error: unknown, req, res, next) => {
    const answer = httpErrorAnswer(error, { tenant: requestTenants.get(req) });
    if (answer === undefined || res.headersSent) {
      next(error);
      return;
    }
    if (answer.fault === "server") onServerFault(error as OnceKeyError, req);
    res.status(answer.status).set(answer.headers).json(answer.body);
  };
}

function printServerFault(error: OnceKeyError): void {
  // eslint-disable-next-line no-console -- the default, as Express's own error handler prints to standard error
  console.error(`oncekey: ${error.code}: ${error.message}`);
}
