// Keys
export { ApiKey } from "./key/api-key.js";
export type { ApiKeyOptions } from "./key/api-key.js";
export { MAX_KEY_LENGTH } from "./key/describe-key-problem.js";

// Tenants
export { isValidTenant, validateTenant } from "./tenant/validate-tenant.js";

// Providers
export type { KeyChangeListener, KeyProvider, KeyRequest } from "./providers/key-provider.js";
export { staticKey } from "./providers/static-key.js";
export type { StaticKeyOptions } from "./providers/static-key.js";
export { cached } from "./providers/cached.js";
export type { CachedOptions } from "./providers/cached-options.js";
export { chain } from "./providers/chain.js";

// Configuration
export type { KeySource, OnceKeyConfig } from "./config/key-source.js";
export { DEFAULT_BASE_URL, loadConfig } from "./config/load-config.js";
export type { LoadConfigOptions } from "./config/load-config.js";
export { keyProviderFromConfig, resolveKeyProvider } from "./config/resolve-key-provider.js";
export { rejectTenantTemplate, requireConfigVariable } from "./config/config-variables.js";
export type { RequireConfigVariableOptions } from "./config/config-variables.js";
export {
  describeConfigValue,
  MAX_QUOTED_NAME_LENGTH,
  quotableConfigValue,
} from "./config/quotable-config-value.js";
export type { ConfigValueShape } from "./config/quotable-config-value.js";

// Events
export { emitEvent, eventChannelName, isObserved } from "./events/emit-event.js";
export type {
  KeyInvalidatedEvent,
  KeyLoadedEvent,
  KeyRejectedEvent,
  KeyRotatedEvent,
  KeyStaleEvent,
  KeyWarningEvent,
  OnceKeyEvent,
  OnceKeyEventListener,
  PacedEvent,
  RequestEvent,
  RetryEvent,
} from "./events/once-key-event.js";

// Errors
export { OnceKeyError } from "./errors/once-key-error.js";
export type { OnceKeyErrorOptions } from "./errors/once-key-error.js";
export { KeyNotFoundError } from "./errors/key-not-found-error.js";
export type { KeyAttempt, KeyNotFoundErrorOptions } from "./errors/key-not-found-error.js";
export { KeyFormatError } from "./errors/key-format-error.js";
export { KeySourceError } from "./errors/key-source-error.js";
export { ConfigError } from "./errors/config-error.js";
export type { ConfigErrorOptions } from "./errors/config-error.js";
export { InvalidTenantError } from "./errors/invalid-tenant-error.js";
export type { InvalidTenantErrorOptions } from "./errors/invalid-tenant-error.js";
export { InsecureTransportError } from "./errors/insecure-transport-error.js";
export { NetworkError } from "./errors/network-error.js";
export { TimeoutError } from "./errors/timeout-error.js";
export type { TimeoutErrorOptions } from "./errors/timeout-error.js";
export { WebhookSignatureError } from "./errors/webhook-signature-error.js";
export type {
  WebhookSignatureErrorOptions,
  WebhookSignatureFailure,
} from "./errors/webhook-signature-error.js";
export {
  ApiError,
  AuthenticationError,
  InvalidRequestError,
  OnceHubApiError,
  RateLimitError,
} from "./errors/once-hub-api-error.js";
export type {
  AuthenticationErrorOptions,
  OnceHubApiErrorOptions,
  RateLimitErrorOptions,
} from "./errors/once-hub-api-error.js";

// Webhooks
export { verifyWebhookSignature } from "./webhook/verify-webhook-signature.js";
export type { VerifyWebhookSignatureOptions } from "./webhook/verify-webhook-signature.js";
export { signWebhookPayload } from "./webhook/sign-webhook-payload.js";
export type { SignWebhookPayloadOptions } from "./webhook/sign-webhook-payload.js";
export type { WebhookEvent, WebhookEventType } from "./webhook/webhook-event.js";

// Client and transport
export { OnceHubClient } from "./client/once-hub-client.js";
export type { TestResult } from "./client/once-hub-client.js";
export type { FromEnvironmentOptions, OnceHubClientOptions } from "./client/once-hub-client-options.js";
export type { CallOptions, RequestOptions } from "./client/call-options.js";
export type { BookingsResource } from "./client/bookings-resource.js";
export type { WebhooksResource } from "./client/webhooks-resource.js";
export { PagedList } from "./client/list-page.js";
export type { ListParams, Page } from "./client/list-page.js";
export type { Booking, BookingListParams, BookingStatus } from "./client/booking.js";
export type { DeletedObject, Webhook, WebhookCreateParams } from "./client/webhook.js";
export type { KeyUsage } from "./transport/key-usage.js";
export type { Query, QueryValue } from "./transport/request-target.js";
export type {
  PacingOptions,
  RetryOptions,
  RotationOptions,
  TimeoutOptions,
} from "./transport/transport-options.js";
