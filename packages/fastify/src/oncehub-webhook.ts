import { ConfigError, type OnceKeyError, type WebhookEvent } from "@oncekey/core";
import { httpErrorAnswer, webhookVerifier, type WebhookSecret } from "@oncekey/core/http";
import { checkOptionNames, describeOptionValue, functionOption } from "@oncekey/core/source";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { answerError } from "./answer-error.js";
import { REGISTER_OPTIONS } from "./fastify-options.js";

/**
 * Options of {@link oncehubWebhook}.
 *
 * @example
 * ```ts
 * const options: OncehubWebhookOptions = {
 *   path: "/webhooks/oncehub",
 *   secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "",
 *   handler: async (event) => void queue.push(event),
 * };
 * ```
 */
export interface OncehubWebhookOptions {
  /** The route's path, e.g. `/webhooks/oncehub` (under the register `prefix`, if any); it answers POST. */
  readonly path: string;
  /**
   * The subscription's signing secret, or a function of the request that returns it (sync or async), e.g. per
   * tenant: `(request) => secrets.of((request.params as { tenant: string }).tenant)`.
   */
  readonly secret: WebhookSecret<FastifyRequest>;
  /**
   * How far a delivery's signature time may lie from now, in seconds, either way; older deliveries are refused
   * as possible replays (`too_old`).
   * @defaultValue `300`
   */
  readonly toleranceSeconds?: number;
  /**
   * Runs for each verified delivery. What it returns is sent (nothing: 204); or it answers with `reply` itself.
   */
  readonly handler: (event: WebhookEvent, request: FastifyRequest, reply: FastifyReply) => unknown;
}

/** OnceHub's deliveries are a few kilobytes; anything past this is refused with 413 before it is checked. */
const BODY_LIMIT = 1024 * 1024;

/**
 * A Fastify plugin that adds an OnceHub webhook route: `POST path` reads the raw body with its own content-type
 * parser (scoped to this plugin, so the app's JSON parser elsewhere is untouched), checks the `Oncehub-Signature`
 * with `verifyWebhookSignature`, and calls `handler(event, request, reply)` only for a delivery that verifies.
 *
 * A refused delivery (tampered body, wrong secret, old timestamp, missing or malformed header) is answered 400
 * `{ "error": { "code": "WEBHOOK_SIGNATURE", "reason", "message" } }` before the handler runs. The body is limited
 * to 1 MiB. Register it without `fastify-plugin`-style sharing: it is encapsulated by design.
 *
 * @example
 * ```ts
 * await app.register(oncehubWebhook, {
 *   path: "/webhooks/oncehub",
 *   secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "",
 *   handler: async (event) => {
 *     await queue.push(event);
 *   },
 * });
 * ```
 */
export const oncehubWebhook: FastifyPluginAsync<OncehubWebhookOptions> = async (app, options) => {
  checkOptionNames(
    options as unknown,
    ["path", "secret", "toleranceSeconds", "handler", ...REGISTER_OPTIONS],
    "oncehubWebhook",
  );
  const { path } = options;
  if (typeof path !== "string" || !path.startsWith("/")) {
    throw new ConfigError(
      `oncehubWebhook: path must be the route's path, starting with '/', got ${describeOptionValue(path)}.`,
      { variable: "path" },
    );
  }
  const handler = functionOption<OncehubWebhookOptions["handler"]>(
    options.handler,
    "handler",
    "runs for each verified delivery",
    "oncehubWebhook",
  );
  if (handler === undefined) {
    throw new ConfigError(
      "oncehubWebhook: handler is required: the function that runs for each verified delivery.",
      {
        variable: "handler",
      },
    );
  }
  const verify = webhookVerifier<FastifyRequest>(options, "oncehubWebhook");

  // This plugin is encapsulated: the raw-body parser applies to its own route only, whatever parsers the app has.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: BODY_LIMIT }, (_request, body, done) => {
    done(null, body);
  });

  app.post(path, async (request, reply) => {
    let event: WebhookEvent;
    try {
      const body = request.body;
      event = await verify(request, Buffer.isBuffer(body) ? body : Buffer.alloc(0));
    } catch (error) {
      // Refusals (400) and the server's own faults (a secret function that returned none: 500) are answered
      // here, so a webhook route needs no other plugin; what a secret function throws goes to the error handlers.
      const answer = httpErrorAnswer(error);
      if (answer === undefined) throw error;
      return answerError(error as OnceKeyError, answer, request, reply);
    }
    const result = await handler(event, request, reply);
    if (reply.sent) return reply;
    return result === undefined ? reply.code(204).send() : result;
  });
};
