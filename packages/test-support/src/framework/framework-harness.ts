import type { OnceHubClientOptions, WebhookEvent } from "@oncekey/core";
import type { AppCaller } from "./app-caller.js";

/** The webhook secret of the contract app's `/webhooks` route. */
export const CONTRACT_WEBHOOK_SECRET = "whsec-test-7d1c0e";

/** The domain under which the contract app's `/s/…` routes read the tenant from the host name. */
export const CONTRACT_TENANT_DOMAIN = "tenants.test";

/** What a framework's contract app is started with. */
export interface FrameworkAppOptions {
  /** The OnceHub client's options (the app sets the tenant itself, by route). */
  readonly client: Omit<OnceHubClientOptions, "tenant">;
  /** The webhook secret per tenant of `/p/tenants/:tenant/webhooks`; a tenant not here has none. @defaultValue {} */
  readonly tenantSecrets?: Readonly<Record<string, string>>;
}

/** An oncekey error the app reported as its own fault (logged at error level, or given to its fault hook). */
export interface ServerFault {
  /** The error's `code`, as the app's log names it; `undefined` when the line names none. */
  readonly code: string | undefined;
  /** The error's message. */
  readonly message: string;
}

/** A framework's contract app, listening on a loopback port. */
export interface FrameworkApp extends AppCaller {
  /** Its origin, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Webhook handler calls per route, keyed by the route as written (`/webhooks`, `/p/tenants/:tenant/webhooks`). */
  readonly calls: Readonly<Record<string, number>>;
  /** The events the webhook handlers were given, in order. */
  readonly events: readonly WebhookEvent[];
  /** Every line the app wrote to its log (its logger, or its fault hook), in order. */
  readonly logLines: readonly string[];
  /** The server faults among `logLines`, in order. */
  serverFaults(): readonly ServerFault[];
  /** Closes the connections, the app and its OnceHub client. */
  close(): Promise<void>;
}

/**
 * What a framework integration's tests give the shared contract suites: how to start its contract app, and the
 * names of what each suite tests (for the test titles).
 *
 * The contract app is the framework's idiomatic wiring of the integration, with these routes:
 * - `GET /h/account` (tenant from the `X-Tenant` header), `GET /p/tenants/:tenant/account` (from the route),
 *   `GET /s/account` (from the host name under {@link CONTRACT_TENANT_DOMAIN}), `GET /own/account` (no tenant: the
 *   client's own key): each calls OnceHub's `GET /test` with the request's `probe` query parameter and answers
 *   what OnceHub answered.
 * - `GET /boom`: throws an error that is not oncekey's; the app's own error handler answers it with
 *   `500 { "handledBy": "app" }`.
 * - `POST /webhooks` (secret {@link CONTRACT_WEBHOOK_SECRET}) and `POST /p/tenants/:tenant/webhooks` (the tenant's
 *   secret from {@link FrameworkAppOptions.tenantSecrets}): the handler counts its call, keeps the event and answers
 *   `{ "received": <event id> }` with the framework's success status.
 *
 * @example
 * ```ts
 * export const harness: FrameworkHarness = {
 *   subjects: { tenants: "oncehub()", errors: "oncehubErrors()", webhooks: "oncehubWebhook()" },
 *   start: async (options) => startExpressContractApp(options),
 * };
 * ```
 */
export interface FrameworkHarness {
  /** What each suite's outer `describe` names: the integration's parts under test. */
  readonly subjects: { readonly tenants: string; readonly errors: string; readonly webhooks: string };
  /** Starts the contract app on `127.0.0.1`, port 0. */
  start(options: FrameworkAppOptions): Promise<FrameworkApp>;
}
