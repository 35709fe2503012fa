import { loadConfig, OnceHubClient, type KeySource, type PacingSource } from "@oncekey/core";
import type { OnceKeyServices } from "./bind-services.js";
import { checkModuleOptions } from "./check-module-options.js";
import type { OnceKeyClientOptions } from "./once-key-client-options.js";

/**
 * Options of {@link OnceKeyModule.fromEnvironment}. An unknown or misspelt name, here or in `client`, rejects the
 * load with a `ConfigError` naming it.
 *
 * @example
 * ```ts
 * const options: OnceKeyModuleEnvironmentOptions = {
 *   sources: [envSource, fileSource],
 *   env: { ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: "/run/secrets/oncehub" },
 *   client: { pacing: { requestsPerSecond: 4 } },
 * };
 * container.load(OnceKeyModule.fromEnvironment(options));
 * ```
 */
export interface OnceKeyModuleEnvironmentOptions {
  /** The key sources the app registers (`envSource`, `fileSource` …); `ONCEKEY_SOURCE` picks among them. */
  readonly sources: readonly KeySource[];
  /**
   * The pacing stores the app registers (`redisPacingSource` from `@oncekey/redis`); `ONCEKEY_PACING_STORE` picks
   * among them, so a deployment moves from one process to a fleet sharing OnceHub's budgets by configuration. The
   * client closes the store it built when the module unloads.
   * @defaultValue none: the in-process store
   */
  readonly pacingSources?: readonly PacingSource[];
  /**
   * The variables to read; nothing else is read.
   * @defaultValue `process.env`, read when the module loads
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Options of the `OnceHubClient`: pacing, retry, timeouts, rotation, connections, `onEvent`, a default tenant.
   * @defaultValue the client's defaults
   */
  readonly client?: OnceKeyClientOptions;
}

/**
 * Reads the configuration and builds the provider and the client as `OnceHubClient.fromEnvironment` does, through
 * the same public steps (`loadConfig`, `resolveKeyProvider`, the client), keeping each for the container to bind.
 * A bad option or variable throws (`ConfigError`, or `InsecureTransportError`) before anything is bound.
 *
 * @param options - {@link OnceKeyModuleEnvironmentOptions}, as given.
 * @example
 * ```ts
 * const { config, keys, client } = servicesFromEnvironment({ sources: [envSource] });
 * ```
 */
export function servicesFromEnvironment(options: OnceKeyModuleEnvironmentOptions): OnceKeyServices {
  checkModuleOptions("fromEnvironment", options);
  const { sources, pacingSources = [], env = process.env, client: clientOptions = {} } = options;
  const config = loadConfig(env, { sources, pacingSources });
  // The client builds the provider and the pacing store and owns them, as plain use would; the container hands out
  // the client and the provider.
  const client = OnceHubClient.fromEnvironment({ ...clientOptions, sources, pacingSources, env });
  return { config, keys: client.keys, client, clientOwnsKeys: true };
}
