// The names users write in their tests and docs. Everything else (the shapes of the log, the faults, the keys
// and accounts a sandbox hands out) is reachable from these, e.g. `Sandbox["faults"]` or
// `ReturnType<Sandbox["requests"]["all"]>[number]`, and stays free to change.
export { startSandbox } from "./oncehub/start-sandbox.js";
export type { StartSandboxOptions } from "./oncehub/start-sandbox-options.js";
export type { Sandbox } from "./oncehub/sandbox.js";
export type { FaultSpec } from "./oncehub/state/fault-injector.js";
export { keyFingerprint } from "./oncehub/state/key-material.js";
export { sendWebhook } from "./oncehub/webhooks/send-webhook.js";
export type { SendWebhookOptions } from "./oncehub/webhooks/send-webhook.js";
export { createWebhookSignature } from "./oncehub/webhooks/create-webhook-signature.js";
export { runSandboxCommand } from "./cli/run-sandbox-command.js";
export type { RunSandboxCommandOptions } from "./cli/run-sandbox-command.js";
export { CANARY_KEYS } from "./canary/canary-keys.js";
export { holdsKey } from "./canary/holds-key.js";
export { printedForms } from "./canary/printed-forms.js";
export { createTlsMaterial } from "./tls/create-tls-material.js";
export type { TlsMaterial } from "./tls/tls-material.js";
export { startFakeKeyVault } from "./key-vault/start-fake-key-vault.js";
export type { FakeKeyVault, FakeKeyVaultOptions } from "./key-vault/start-fake-key-vault.js";
export type { FakeKeyVaultFault } from "./key-vault/state/vault-faults.js";
