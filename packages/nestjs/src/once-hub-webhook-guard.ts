import { ConfigError, WebhookSignatureError, type WebhookEvent } from "@oncekey/core";
import {
  createParamDecorator,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from "@nestjs/common";
import { ONCEHUB_MODULE_OPTIONS } from "./module-options-token.js";
import { requestEvents } from "./request-state.js";
import type { ResolvedModuleOptions } from "./resolve-module-options.js";

/** The content types whose raw body Nest keeps with `rawBody: true`: those its own body parsers read. */
const KEPT_BODY_TYPE = /^\s*application\/(?:json|x-www-form-urlencoded)\s*(?:;|$)/i;

/**
 * A guard for an OnceHub webhook route: it checks the delivery's `Oncehub-Signature` over the raw body with
 * `OnceHubModule.forRoot({ webhook: { secret } })`, before the handler runs, and hands the verified event to
 * `@OnceHubEvent()`.
 *
 * A refused delivery (tampered body, wrong secret, old timestamp, missing or malformed header) is a
 * `WebhookSignatureError`, answered 400 `{ "error": { "code": "WEBHOOK_SIGNATURE", "reason", "message" } }` by the
 * module's filter. The raw body is Nest's: create the app with `NestFactory.create(AppModule, { rawBody: true })`;
 * without it, or without `webhook` in the module's options, the guard throws a `ConfigError` that says so (500).
 *
 * @example
 * ```ts
 * @Post("webhooks/oncehub")
 * @UseGuards(OnceHubWebhookGuard)
 * @HttpCode(200)
 * receive(@OnceHubEvent() event: WebhookEvent) {
 *   return queue.push(event);
 * }
 * ```
 */
@Injectable()
export class OnceHubWebhookGuard implements CanActivate {
  /** @internal Nest creates it. */
  constructor(@Inject(ONCEHUB_MODULE_OPTIONS) private readonly options: ResolvedModuleOptions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const verify = this.options.webhook;
    if (verify === undefined) {
      throw new ConfigError(
        "OnceHubWebhookGuard has no secret to check deliveries with: pass OnceHubModule.forRoot({ webhook: { secret } }).",
        { variable: "webhook" },
      );
    }
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const raw = (request as { rawBody?: unknown }).rawBody;
    const kept = Buffer.isBuffer(raw) || typeof raw === "string";
    // Without a signature the delivery is refused (400) whatever the body. With one, Nest keeps the raw body of the
    // bodies its parsers read (JSON, URL-encoded): missing for one of those, it is the app's setup; for any other
    // type it is the caller's, as OnceHub sends JSON.
    if (!kept && request.headers["oncehub-signature"] !== undefined) {
      const type = request.headers["content-type"];
      if (typeof type !== "string" || !KEPT_BODY_TYPE.test(type)) {
        throw new WebhookSignatureError(
          "The delivery's body is not JSON (Content-Type: application/json), so it cannot be from OnceHub. Answer 400.",
          { reason: "malformed_body" },
        );
      }
      throw new ConfigError(
        "OnceHubWebhookGuard: the request has no raw body (request.rawBody), so its signature cannot be checked. " +
          "Create the app with NestFactory.create(AppModule, { rawBody: true }); Nest keeps the raw body of JSON requests.",
        { variable: "rawBody" },
      );
    }
    const event = await verify(request, kept ? (raw as Buffer | string) : Buffer.alloc(0));
    requestEvents.set(request, event);
    return true;
  }
}

/**
 * A route handler parameter decorator that gives the OnceHub webhook event `OnceHubWebhookGuard` verified for this
 * request. On a route without the guard it throws a `ConfigError` (500).
 *
 * @returns The parameter decorator.
 * @example
 * ```ts
 * receive(@OnceHubEvent() event: WebhookEvent) {}
 * ```
 */
export const OnceHubEvent: () => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): WebhookEvent => {
    const event = requestEvents.get(context.switchToHttp().getRequest<object>());
    if (event === undefined) {
      throw new ConfigError("@OnceHubEvent() needs @UseGuards(OnceHubWebhookGuard) on the same route.", {
        variable: "OnceHubWebhookGuard",
      });
    }
    return event;
  },
) as () => ParameterDecorator;
