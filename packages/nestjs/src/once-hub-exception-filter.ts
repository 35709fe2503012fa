import { OnceKeyError } from "@oncekey/core";
import { httpErrorAnswer } from "@oncekey/core/http";
import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from "@nestjs/common";
import { HttpAdapterHost } from "@nestjs/core";
import { requestTenants } from "./request-state.js";

/**
 * Matches oncekey errors by their brand rather than by class, so an error from a second copy of `@oncekey/core`
 * is caught too: Nest picks a filter with `instanceof`, which asks this.
 */
class AnyOnceKeyError {
  static [Symbol.hasInstance](value: unknown): boolean {
    return OnceKeyError.is(value);
  }
}

/**
 * The exception filter `OnceHubModule` registers for the whole app (`APP_FILTER`): it answers oncekey errors, and
 * only those, the same way in every oncekey integration (`httpErrorAnswer` of `@oncekey/core/http`), with
 * `{ "error": { "code", "message" } }` and never a stack. Every other exception is left to Nest and the app's own
 * filters. The server's own faults are logged at `error` with the library's message (the answer holds a fixed
 * sentence), OnceHub's at `warn`; never with a stack.
 *
 * @example
 * ```ts
 * // Registered by importing the module; nothing to do:
 * @Module({ imports: [OnceHubModule.forRoot({ sources: [envSource] })] })
 * class AppModule {}
 * ```
 */
@Catch(AnyOnceKeyError)
export class OnceHubExceptionFilter implements ExceptionFilter {
  readonly #logger = new Logger("OnceHub");

  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(error: OnceKeyError, host: ArgumentsHost): void {
    // Another kind of context (microservices, WebSockets, GraphQL) gets the error thrown on as it was: a value
    // returned from a filter is taken as the handled result there.
    if (host.getType() !== "http") throw error;
    const http = host.switchToHttp();
    const request: object = http.getRequest();
    const answer = httpErrorAnswer(error, { tenant: requestTenants.get(request) });
    if (answer === undefined) throw error;
    if (answer.fault === "server") this.#logger.error(`${error.code}: ${error.message}`);
    if (answer.fault === "upstream") this.#logger.warn(`${error.code}: ${error.message}`);
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = http.getResponse();
    for (const [name, value] of Object.entries(answer.headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, answer.body, answer.status);
  }
}
