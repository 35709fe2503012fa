// "@oncekey/core/source": what the author of a key source needs beyond "@oncekey/core": reading configuration
// without repeating a value that could be a key, tenant ids, events, and the options of the errors a source
// throws. An app needs none of it.

// Keys and tenants
export type { ApiKeyOptions } from "./key/api-key.js";
export { MAX_KEY_LENGTH } from "./key/describe-key-problem.js";
export { validateTenant } from "./tenant/validate-tenant.js";
export { describeTenant } from "./tenant/describe-tenant.js";
export type { KeyChangeListener } from "./providers/key-provider.js";

// Configuration
export { rejectTenantTemplate, requireConfigVariable } from "./config/config-variables.js";
export type { RequireConfigVariableOptions } from "./config/config-variables.js";
export {
  describeConfigValue,
  MAX_QUOTED_NAME_LENGTH,
  quotableConfigValue,
} from "./config/quotable-config-value.js";
export type { ConfigValueShape } from "./config/quotable-config-value.js";
// For an integration that has the configuration already (a DI module built from options in code)
export { keyProviderFromConfig } from "./config/resolve-key-provider.js";

// Events
export { emitEvent, isObserved } from "./events/emit-event.js";
export { EventHub } from "./events/event-hub.js";
export { CALL_CHANNEL } from "./events/trace-call.js";
export type { CallTrace } from "./events/trace-call.js";
export type {
  KeyInvalidatedEvent,
  KeyLoadedEvent,
  KeyRejectedEvent,
  KeyRotatedEvent,
  KeyStaleEvent,
  KeyWarningEvent,
  PacedEvent,
  PacingFallbackEvent,
  PacingRecoveredEvent,
  RequestEvent,
  RetryEvent,
} from "./events/once-key-event.js";

// The options of the errors a source throws
export type { OnceKeyErrorOptions } from "./errors/once-key-error.js";
export type { KeyAttempt, KeyNotFoundErrorOptions } from "./errors/key-not-found-error.js";
export type { ConfigErrorOptions } from "./errors/config-error.js";
export type { InvalidTenantErrorOptions } from "./errors/invalid-tenant-error.js";
export type { TimeoutErrorOptions } from "./errors/timeout-error.js";
export type { WebhookSignatureErrorOptions } from "./errors/webhook-signature-error.js";
export type {
  AuthenticationErrorOptions,
  OnceHubApiErrorOptions,
  RateLimitErrorOptions,
} from "./errors/once-hub-api-error.js";

// Pacing stores, and other readers pacing through one: what a store's author needs beyond PacingStore
export type {
  Budget,
  BudgetLimit,
  PacingAnswer,
  PacingGrant,
  PacingRefusal,
  RateLimit,
  WindowLimit,
} from "./transport/pacing/pacing-store.js";
export { windowLimit } from "./transport/pacing/window-limit.js";
export { waitForBudget } from "./transport/pacing/wait-for-budget.js";
/** For integrations that build a client from configuration themselves (`@oncekey/inversify`). */
export { pacingStoreFromConfig } from "./config/pacing-store-from-config.js";
export type { BudgetSlot, WaitForBudgetOptions } from "./transport/pacing/wait-for-budget.js";

// Options: one error (ConfigError) for every bad option, values described but never repeated
export { checkOptionNames } from "./options/check-option-names.js";
export { choiceOption } from "./options/choice-option.js";
export { describeOptionValue } from "./options/describe-option-value.js";
export { functionOption } from "./options/function-option.js";
export { MAX_TIMER_MS, numberOption } from "./options/number-option.js";
/** Checks the options of `cached` as a factory passes them through (`fromFile({ cache })`). */
export { resolveCachedOptions as checkCachedOptions } from "./providers/cached-options.js";
export type { NumberOptionRule } from "./options/number-option.js";

// The key-source toolkit: one piece for each thing every key source needs, so env, .env, files and vaults behave
// alike (templates, reads, watches, policies, options)
export { MAX_QUOTED_VARIABLE_LENGTH } from "./config/quotable-config-value.js";
export { ConfiguredValue } from "./source/configured-value.js";
export type { SettingOrigin } from "./source/configured-value.js";
export { TenantTemplate } from "./source/tenant-template.js";
export type { TenantTemplateOptions, TenantTemplateRules } from "./source/tenant-template.js";
export { checkSourceOptions } from "./source/check-source-options.js";
export type { SourceOptionsRule } from "./source/check-source-options.js";
export { booleanOption } from "./source/boolean-option.js";
export { objectOption } from "./source/object-option.js";
export { readBounded } from "./source/read-bounded.js";
export { safeFsCause } from "./source/safe-fs-cause.js";
export { FILE_PERMISSIONS, PermissionPolicy } from "./source/permission-policy.js";
export type { FilePermissions, PermissionPolicyOptions } from "./source/permission-policy.js";
export { RewriteGrace } from "./source/rewrite-grace.js";
export { FILE_WATCH_MODES } from "./source/file-watch-mode.js";
export type { FileWatchMode } from "./source/file-watch-mode.js";
export { WatchedDirectory } from "./source/watched-directory.js";
export type { WatchedDirectoryOptions } from "./source/watched-directory.js";
export { WatchFallbackWarning } from "./source/watch-fallback-warning.js";
