import { loadConfig, type KeySource, type OnceHubClientOptions } from "@oncekey/core";
import { keyProviderFromConfig } from "@oncekey/core/source";
import { checkClientOptionsOwning, type OnceKeyServices } from "./bind-services.js";
import { checkModuleOptions } from "./check-module-options.js";

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

/**
 * Options of {@link OnceKeyModule.fromEnvironment}.
 *
 * @example
 * ```ts
 * const options: OnceKeyModuleEnvironmentOptions = {
 *   sources: [envSource, fileSource],
 *   env: { ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: "/run/secrets/oncehub" },
 *   client: { pacing: { requestsPerSecond: 4 } },
 * };
 * await container.load(OnceKeyModule.fromEnvironment(options));
 * ```
 */
export interface OnceKeyModuleEnvironmentOptions {
  /** The key sources the app registers (`envSource`, `fileSource` …); `ONCEKEY_SOURCE` picks among them. */
  readonly sources: readonly KeySource[];
  /**
   * The variables to read; nothing else is read.
   * @defaultValue `process.env`, read when the module loads
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Options of the `OnceHubClient`: pacing, retry, timeouts, `onEvent`, a default tenant.
   * @defaultValue the client's defaults
   */
  readonly client?: OnceKeyClientOptions;
}

/** Reads the configuration and builds the provider as plain use does; throws `ConfigError` at once. */
export function servicesFromEnvironment(options: OnceKeyModuleEnvironmentOptions): OnceKeyServices {
  checkModuleOptions("fromEnvironment", options);
  const env = options.env ?? process.env;
  const config = loadConfig(env, { sources: options.sources });
  const keys = keyProviderFromConfig(config, options.sources);
  const client = {
    ...options.client,
    baseUrl: config.baseUrl,
    ...(config.ca === undefined ? {} : { ca: config.ca }),
  };
  checkClientOptionsOwning(keys, client);
  return { config, keys, client };
}
