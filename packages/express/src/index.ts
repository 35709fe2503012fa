// Express 5 middleware for oncekey: the request's tenant client, verified OnceHub webhooks, and oncekey errors
// answered as HTTP.
export { oncehub } from "./oncehub.js";
export type { OncehubMiddleware, OncehubOptions } from "./oncehub.js";
export { oncehubWebhook } from "./oncehub-webhook.js";
export type { OncehubWebhookOptions } from "./oncehub-webhook.js";
export { oncehubErrors } from "./oncehub-errors.js";
export type { OncehubErrorsOptions } from "./oncehub-errors.js";

// Tenant resolution, shared by every oncekey integration
export { tenantFromHeader, tenantFromParam, tenantFromSubdomain } from "@oncekey/core/http";
export type {
  RequestHeaders,
  TenantFromSubdomainOptions,
  TenantHelperOptions,
  TenantRequest,
  TenantResolver,
  WebhookSecret,
} from "@oncekey/core/http";
