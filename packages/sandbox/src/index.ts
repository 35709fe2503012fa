export { startSandbox } from "./oncehub/start-sandbox.js";
export type { RateLimitOptions, StartSandboxOptions } from "./oncehub/start-sandbox-options.js";
export type { Sandbox, SandboxAccounts, SandboxKeys } from "./oncehub/sandbox.js";
export type { CreatedAccount, SandboxAccount, SandboxKeyInfo } from "./oncehub/state/account-store.js";
export type { LoggedRequest, RequestLog } from "./oncehub/state/request-log.js";
export type {
  DelayFault,
  FaultKind,
  FaultScope,
  FaultSpec,
  InjectedFault,
  RedirectFault,
  ResetFault,
  SandboxFaults,
  SlowBodyFault,
  StatusFault,
} from "./oncehub/state/fault-injector.js";
export { keyFingerprint } from "./oncehub/state/key-material.js";
export { sendWebhook } from "./oncehub/webhooks/send-webhook.js";
export type {
  SendWebhookOptions,
  WebhookDelivery,
  WebhookEvent,
  WebhookEventInput,
} from "./oncehub/webhooks/send-webhook.js";
export { createWebhookSignature } from "./oncehub/webhooks/create-webhook-signature.js";
export { runSandboxCommand } from "./cli/run-sandbox-command.js";
export type { RunSandboxCommandOptions } from "./cli/run-sandbox-command.js";
export { CANARY_KEYS } from "./canary/canary-keys.js";
export { holdsKey } from "./canary/holds-key.js";
export { printedForms } from "./canary/printed-forms.js";
export { createTlsMaterial } from "./tls/create-tls-material.js";
export type { TlsMaterial } from "./tls/create-tls-material.js";
export { startFakeKeyVault } from "./key-vault/start-fake-key-vault.js";
export type { FakeKeyVault, FakeKeyVaultOptions } from "./key-vault/start-fake-key-vault.js";
export type { FakeKeyVaultSecretOptions } from "./key-vault/secret-store.js";
export type { FakeKeyVaultPermission, FakeKeyVaultTokenGrant } from "./key-vault/vault-access.js";
export type { FakeKeyVaultCall, FakeKeyVaultCalls, FakeKeyVaultOperation } from "./key-vault/vault-calls.js";
export type {
  FakeKeyVaultFault,
  FakeKeyVaultFaults,
  FakeKeyVaultFaultScope,
  FakeKeyVaultInjectedFault,
} from "./key-vault/vault-faults.js";
export type { BoundedLogView } from "./state/bounded-log.js";
export type { FaultCount, QueuedFault } from "./state/fault-queue.js";
