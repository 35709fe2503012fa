// What an app needs: the client, keys and their providers, configuration, events, errors and webhooks.
// What only a key source's author needs is in "@oncekey/core/source".

// Keys and providers
export { ApiKey } from "./key/api-key.js";
export { isValidTenant } from "./tenant/validate-tenant.js";
export type { KeyProvider, KeyRequest } from "./providers/key-provider.js";
export { staticKey } from "./providers/static-key.js";
export type { StaticKeyOptions } from "./providers/static-key.js";
export { cached } from "./providers/cached.js";
export type { CachedOptions } from "./providers/cached-options.js";
export { chain } from "./providers/chain.js";

// Configuration
export type { KeySource, OnceKeyConfig } from "./config/key-source.js";
export type { PacingSource } from "./config/pacing-source.js";
export { loadConfig } from "./config/load-config.js";
export type { LoadConfigOptions } from "./config/load-config.js";
export { resolveKeyProvider } from "./config/resolve-key-provider.js";

// Events
export { eventChannelName } from "./events/emit-event.js";
export type { OnceKeyEvent, OnceKeyEventListener } from "./events/once-key-event.js";

// Errors
export { OnceKeyError } from "./errors/once-key-error.js";
export { KeyNotFoundError } from "./errors/key-not-found-error.js";
export { KeyFormatError } from "./errors/key-format-error.js";
export { KeySourceError } from "./errors/key-source-error.js";
export { ConfigError } from "./errors/config-error.js";
export { InvalidTenantError } from "./errors/invalid-tenant-error.js";
export { InsecureTransportError } from "./errors/insecure-transport-error.js";
export { NetworkError } from "./errors/network-error.js";
export { TimeoutError } from "./errors/timeout-error.js";
export { WebhookSignatureError } from "./errors/webhook-signature-error.js";
export type { WebhookSignatureFailure } from "./errors/webhook-signature-error.js";
export {
  ApiError,
  AuthenticationError,
  InvalidRequestError,
  OnceHubApiError,
  RateLimitError,
} from "./errors/once-hub-api-error.js";

// Webhooks
export { verifyWebhookSignature } from "./webhook/verify-webhook-signature.js";
export type { VerifyWebhookSignatureOptions } from "./webhook/verify-webhook-signature.js";
export { signWebhookPayload } from "./webhook/sign-webhook-payload.js";
export type { SignWebhookPayloadOptions } from "./webhook/sign-webhook-payload.js";
export type { WebhookEvent, WebhookEventType } from "./webhook/webhook-event.js";

// The client
export { OnceHubClient } from "./client/once-hub-client.js";
export type { TestResult } from "./client/once-hub-client.js";
export type { FromEnvironmentOptions, OnceHubClientOptions } from "./client/once-hub-client-options.js";
export type { CallOptions, RequestOptions } from "./client/call-options.js";
export type { ListParams, Page, PagedList } from "./client/list-page.js";
export type { Booking, BookingListParams, BookingStatus } from "./client/booking.js";
export type { CreatedWebhook, DeletedObject, Webhook, WebhookCreateParams } from "./client/webhook.js";
export type { KeyUsage } from "./transport/key-usage.js";
export type { PacingStore } from "./transport/pacing/pacing-store.js";
export type {
  EgressOptions,
  PacingOptions,
  RetryOptions,
  RotationOptions,
  TimeoutOptions,
} from "./transport/transport-options.js";
