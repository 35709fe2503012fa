// "@oncekey/core/http": what the framework integrations (Express, Fastify, NestJS) share, free of any framework:
// one mapping of oncekey errors to HTTP answers, tenant resolution from a request, and the webhook check over a
// raw body. Each function reads a minimal request shape that every framework's request fits.

// Errors as HTTP answers
export { httpErrorAnswer } from "./http/http-error-answer.js";
export type {
  HttpErrorAnswer,
  HttpErrorBody,
  HttpErrorContext,
  HttpErrorFault,
} from "./http/http-error-answer.js";

// Options every integration takes
export { clientOption } from "./http/client-option.js";

// The tenant of a request
export { tenantFromHeader } from "./http/tenant-from-header.js";
export { tenantFromParam } from "./http/tenant-from-param.js";
export { tenantFromSubdomain } from "./http/tenant-from-subdomain.js";
export type { TenantFromSubdomainOptions } from "./http/tenant-from-subdomain.js";
export type {
  RequestHeaders,
  TenantHelperOptions,
  TenantRequest,
  TenantResolver,
} from "./http/tenant-request.js";

// Webhook deliveries
export { webhookVerifier } from "./http/webhook-verifier.js";
export type {
  WebhookRequest,
  WebhookSecret,
  WebhookVerifier,
  WebhookVerifierOptions,
} from "./http/webhook-verifier.js";
