import {
  OnceHubClient,
  type KeyProvider,
  type OnceHubClientOptions,
  type OnceKeyConfig,
} from "@oncekey/core";
import type { ContainerModuleLoadOptions } from "inversify";
import { ONCEKEY } from "./oncekey.js";

/** What one load of an `OnceKeyModule` binds. */
export interface OnceKeyServices {
  readonly config: OnceKeyConfig;
  readonly keys: KeyProvider;
  /** The client's options, already checked (see {@link checkClientOptions}). */
  readonly client: Omit<OnceHubClientOptions, "keys">;
}

/**
 * Binds the services as singletons that close on unload.
 *
 * inversify deactivates only what was resolved, so the client is built when first resolved (a client built at
 * load but never resolved would hold its connection-pool lease forever), and resolving it resolves the provider
 * too: whatever the client used is closed with it. A provider nobody resolved was never asked for a key and
 * holds nothing.
 */
export function bindServices(options: ContainerModuleLoadOptions, services: OnceKeyServices): void {
  const { config, keys, client } = services;
  let keysClosed: Promise<void> | undefined;
  const closeKeys = (): Promise<void> => (keysClosed ??= Promise.resolve(keys.close?.()));

  options.bind<OnceKeyConfig>(ONCEKEY.Config).toConstantValue(config);
  options.bind<KeyProvider>(ONCEKEY.KeyProvider).toConstantValue(keys).onDeactivation(closeKeys);
  options
    .bind<OnceHubClient>(ONCEKEY.Client)
    .toDynamicValue(
      (context) => new OnceHubClient({ ...client, keys: context.get<KeyProvider>(ONCEKEY.KeyProvider) }),
    )
    .inSingletonScope()
    .onDeactivation((built) => built.close());
}

/**
 * Throws what the client's constructor would throw for these options (`InsecureTransportError` for an `http:`
 * base URL, `ConfigError` naming a bad option), at load rather than at the first `get`. The probe client opens
 * no socket and is closed at once.
 */
export function checkClientOptions(keys: KeyProvider, client: Omit<OnceHubClientOptions, "keys">): void {
  new OnceHubClient({ ...client, keys }).close().catch(() => undefined);
}

/**
 * {@link checkClientOptions} for a provider the module built itself: if the check fails the load, nobody will
 * ever get the provider to close it, so it is closed here.
 */
export function checkClientOptionsOwning(
  keys: KeyProvider,
  client: Omit<OnceHubClientOptions, "keys">,
): void {
  try {
    checkClientOptions(keys, client);
  } catch (error) {
    Promise.resolve(keys.close?.()).catch(() => undefined);
    throw error;
  }
}
