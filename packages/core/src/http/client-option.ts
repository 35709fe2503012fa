import type { OnceHubClient } from "../client/once-hub-client.js";
import { ConfigError } from "../errors/config-error.js";
import { describeOptionValue } from "../options/describe-option-value.js";

/**
 * Returns an integration's `client` option when it is an `OnceHubClient` (checked by shape, so a client from a
 * second copy of `@oncekey/core` passes); throws a `ConfigError` naming the option otherwise.
 *
 * @param value - The option as given.
 * @param where - What the option belongs to, e.g. `oncehub`.
 * @returns The client.
 * @throws `ConfigError` when `value` is not a client.
 * @example
 * ```ts
 * const client = clientOption(options.client, "oncehubPlugin");
 * ```
 */
export function clientOption(value: unknown, where: string): OnceHubClient {
  const candidate = value as Partial<Record<keyof OnceHubClient, unknown>> | null | undefined;
  if (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.forTenant === "function" &&
    typeof candidate.request === "function" &&
    typeof candidate.close === "function"
  ) {
    return value as OnceHubClient;
  }
  throw new ConfigError(
    `${where}: client must be an OnceHubClient, e.g. OnceHubClient.fromEnvironment({ sources: [envSource] }), got ` +
      `${describeOptionValue(value)}.`,
    { variable: "client" },
  );
}
