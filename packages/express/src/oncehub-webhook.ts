import { ConfigError, WebhookSignatureError } from "@oncekey/core";
import { httpErrorAnswer, webhookVerifier, type WebhookSecret } from "@oncekey/core/http";
import { checkOptionNames } from "@oncekey/core/source";
import express, { type Request, type RequestHandler } from "express";

/**
 * Options of {@link oncehubWebhook}.
 *
 * @example
 * ```ts
 * const options: OncehubWebhookOptions = { secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "", toleranceSeconds: 300 };
 * ```
 */
export interface OncehubWebhookOptions {
  /**
   * The subscription's signing secret, or a function of the request that returns it (sync or async), e.g. per
   * tenant: `(req) => secrets.of(req.params.tenant)`.
   */
  readonly secret: WebhookSecret<Request>;
  /**
   * How far a delivery's signature time may lie from now, in seconds, either way; older deliveries are refused
   * as possible replays (`too_old`).
   * @defaultValue `300`
   */
  readonly toleranceSeconds?: number;
}

/** OnceHub's deliveries are a few kilobytes; anything past this is refused with 413 before it is checked. */
const BODY_LIMIT = "1mb";

/**
 * Express middleware for an OnceHub webhook route: it reads the raw body itself, checks its `Oncehub-Signature`
 * with `verifyWebhookSignature` and, if it holds, sets `req.oncehubEvent` and calls the next handler.
 *
 * A refused delivery (tampered body, wrong secret, old timestamp, missing or malformed header) is answered 400
 * `{ "error": { "code": "WEBHOOK_SIGNATURE", "reason", "message" } }` here, before any handler runs. It works
 * whatever body parser the app uses elsewhere, as long as the body reaches it unread: mount the webhook route
 * before `app.use(express.json())`, or keep the raw bytes as `req.rawBody` (`express.json({ verify: (req, _res,
 * buf) => { req.rawBody = buf } })`). A body already parsed without them cannot be verified, and is a
 * `ConfigError` that names both fixes (500 through `oncehubErrors()`). The body is limited to 1 MB (413 past it);
 * `req.body` is the raw Buffer afterwards.
 *
 * @param options - {@link OncehubWebhookOptions}.
 * @returns The middleware.
 * @throws `ConfigError` for a missing secret, a bad tolerance or an unknown option.
 * @example
 * ```ts
 * app.post("/webhooks/oncehub", oncehubWebhook({ secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "" }), (req, res) => {
 *   queue.push(req.oncehubEvent);
 *   res.sendStatus(200);
 * });
 * app.use(express.json()); // after the webhook route
 * ```
 */
export function oncehubWebhook(options: OncehubWebhookOptions): RequestHandler {
  checkOptionNames(options as unknown, ["secret", "toleranceSeconds"], "oncehubWebhook");
  const verify = webhookVerifier<Request>(options ?? { secret: "" }, "oncehubWebhook");
  const readBody = express.raw({ type: () => true, limit: BODY_LIMIT });

  const check = (
    req: Request,
    res: Parameters<RequestHandler>[1],
    next: (error?: unknown) => void,
    raw: Buffer | string,
  ): void => {
    verify(req, raw)
      .then(
        (event) => {
          req.oncehubEvent = event;
          next();
        },
        (error: unknown) => {
          const answer = WebhookSignatureError.is(error) ? httpErrorAnswer(error) : undefined;
          // A refusal is answered here; the server's own faults (no secret, a secret lookup that failed) go on to
          // the error handlers, where they are logged. So does a refusal when something else (a request timeout)
          // answered while the secret was looked up: Express's handlers know what to do with an answered request.
          if (answer === undefined || answer.fault !== "caller" || res.headersSent) {
            next(error);
            return;
          }
          res.status(answer.status).set(answer.headers).json(answer.body);
        },
      )
      .catch(next);
  };

  return (req, res, next) => {
    // Unread unless a parser read it to the end: a body fully received but still buffered is unread.
    const consumed = req.readableEnded || (req.complete && !req.readable);
    if (!consumed) {
      readBody(req, res, (error?: unknown) => {
        if (error !== undefined) {
          next(error);
          return;
        }
        check(req, res, next, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      });
      return;
    }
    const kept = (req as { rawBody?: unknown }).rawBody;
    if (Buffer.isBuffer(kept) || typeof kept === "string") {
      check(req, res, next, kept);
      return;
    }
    next(
      new ConfigError(
        "oncehubWebhook: the request body was already read by another body parser (express.json() mounted " +
          "before the webhook route?), so its signature cannot be checked. Mount the webhook route before the " +
          "parser, or keep the raw body as req.rawBody: express.json({ verify: (req, _res, buf) => { req.rawBody = buf } }).",
        { variable: "rawBody" },
      ),
    );
  };
}
