// The NestJS module for oncekey: the OnceHub client injected by class, the request's tenant client, verified
// OnceHub webhooks, oncekey errors answered as HTTP, and a health check.
export { OnceHubModule } from "./once-hub-module.js";
export type {
  OnceHubModuleAsyncOptions,
  OnceHubModuleCommonOptions,
  OnceHubModuleGlobalOption,
  OnceHubModuleKeysOptions,
  OnceHubModuleOptions,
  OnceHubModuleSourcesOptions,
  OnceHubWebhookOptions,
} from "./once-hub-module-options.js";
export { TenantClient } from "./tenant-client.js";
export { OnceHubEvent, OnceHubWebhookGuard } from "./once-hub-webhook-guard.js";
export { OnceHubExceptionFilter } from "./once-hub-exception-filter.js";
export { OnceHubHealth } from "./once-hub-health.js";
export type { OnceHubHealthCheckOptions, OnceHubHealthResult } from "./once-hub-health.js";

// Tenant resolution, shared by every oncekey integration
export { tenantFromHeader, tenantFromParam, tenantFromSubdomain } from "@oncekey/core/http";
export type {
  RequestHeaders,
  TenantFromSubdomainOptions,
  TenantHelperOptions,
  TenantRequest,
  TenantResolver,
} from "@oncekey/core/http";
