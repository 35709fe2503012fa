export { eventually } from "./eventually.js";
export { freePort } from "./free-port.js";
export type { EventuallyOptions } from "./eventually.js";
export { eventLog } from "./event-log.js";
export type { EventLog } from "./event-log.js";
export { rejectionOf, settled, thrownBy } from "./rejection-of.js";
export { showsKey } from "./shows-key.js";
export { startHttpsServer } from "./start-https-server.js";
export type { TestHttpsServer } from "./start-https-server.js";
export { trackUnhandledRejections } from "./track-unhandled-rejections.js";
export type { UnhandledRejections } from "./track-unhandled-rejections.js";
export { sandboxClientOptions, sandboxTransportOptions, useSandbox } from "./use-sandbox.js";
export { useTempDir } from "./use-temp-dir.js";
export type { TempDirContext } from "./use-temp-dir.js";
export { withClient } from "./with-client.js";
export { providerCalls, runProviderCalls } from "./provider-calls.js";
export type { ProviderCall, SignalPlan } from "./provider-calls.js";
export { holdsStack } from "./holds-stack.js";
export { runLimited } from "./run-limited.js";
export { seeded } from "./seeded.js";
export { createTenants, regenerateKey } from "./tenants/create-tenants.js";
export type { Tenant } from "./tenants/create-tenants.js";
export { keyDirectory, writeKeyFile } from "./tenants/key-directory.js";
export type { KeyDirectory } from "./tenants/key-directory.js";
export { readmeExample } from "./readme/readme-example.js";
export { useReadmeEnvironment } from "./readme/use-readme-environment.js";
export { appCaller } from "./framework/app-caller.js";
export type { AppAnswer, AppCaller, AppRequest } from "./framework/app-caller.js";
export { CONTRACT_TENANT_DOMAIN, CONTRACT_WEBHOOK_SECRET } from "./framework/framework-harness.js";
export type {
  FrameworkApp,
  FrameworkAppOptions,
  FrameworkHarness,
  ServerFault,
} from "./framework/framework-harness.js";
export { describeErrorContract } from "./framework/describe-error-contract.js";
export { describeTenantContract } from "./framework/describe-tenant-contract.js";
export { describeWebhookContract } from "./framework/describe-webhook-contract.js";
export { describeExampleApp } from "./examples/describe-example-app.js";
export type { DescribeExampleAppOptions, ExampleAppContext } from "./examples/describe-example-app.js";
export { runApp, runToEnd } from "./examples/run-app.js";
export type { RunningExample } from "./examples/run-app.js";
