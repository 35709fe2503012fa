import type { KeyProvider, OnceHubClient, OnceKeyConfig } from "@oncekey/core";
import type { ContainerModuleLoadOptions } from "inversify";
import { ONCEKEY } from "./oncekey.js";

/** What one load of an `OnceKeyModule` built and binds. */
export interface OnceKeyServices {
  readonly config: OnceKeyConfig;
  readonly keys: KeyProvider;
  /** Built over `keys` at load, which checked its options; it leases connections at its first request only. */
  readonly client: OnceHubClient;
  /** Whether closing the client closes `keys` too (a client built by `fromEnvironment` owns its provider). */
  readonly clientOwnsKeys: boolean;
}

/**
 * Binds the services as the singletons they are, closing on unload.
 *
 * inversify deactivates only what it resolved. The client uses the provider, so resolving either closes both, the
 * client first (its requests in flight end, then the provider's watchers and vault clients close), once each. What
 * nothing resolved was never used through the container and holds nothing to close: the client leases the
 * connection pool at its first request, and a source opens files or vault connections at its first key.
 *
 * @param options - The module's load options.
 * @param services - What the load built.
 * @example
 * ```ts
 * new ContainerModule((options) => bindServices(options, servicesFromEnvironment(settings)));
 * ```
 */
export function bindServices(options: ContainerModuleLoadOptions, services: OnceKeyServices): void {
  const { config, keys, client, clientOwnsKeys } = services;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => (closed ??= closeBoth(client, clientOwnsKeys ? undefined : keys));

  options.bind<OnceKeyConfig>(ONCEKEY.Config).toConstantValue(config);
  options.bind<KeyProvider>(ONCEKEY.KeyProvider).toConstantValue(keys).onDeactivation(close);
  options.bind<OnceHubClient>(ONCEKEY.Client).toConstantValue(client).onDeactivation(close);
}

async function closeBoth(client: OnceHubClient, keys: KeyProvider | undefined): Promise<void> {
  try {
    await client.close();
  } finally {
    await keys?.close?.();
  }
}
