// Fastify 5 plugins for oncekey: the request's tenant client, verified OnceHub webhooks, and oncekey errors
// answered as HTTP.
export { oncehubPlugin } from "./oncehub-plugin.js";
export type { OncehubPluginOptions } from "./oncehub-plugin.js";
export { oncehubWebhook } from "./oncehub-webhook.js";
export type { OncehubWebhookOptions } from "./oncehub-webhook.js";

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
