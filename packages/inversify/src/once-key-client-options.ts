import type { OnceHubClientOptions } from "@oncekey/core";

/**
 * The `OnceHubClient` options that configuration does not set: everything but `keys`, `baseUrl` and `ca`, which
 * come from `ONCEKEY_SOURCE`, `ONCEHUB_BASE_URL` and `ONCEKEY_CA_FILE`. Defaults are the client's.
 *
 * @example
 * ```ts
 * const client: OnceKeyClientOptions = { retry: { maxAttempts: 5 }, timeouts: { headersMs: 10_000 } };
 * OnceKeyModule.fromEnvironment({ sources: [envSource], client });
 * ```
 */
export type OnceKeyClientOptions = Omit<OnceHubClientOptions, "keys" | "baseUrl" | "ca">;
