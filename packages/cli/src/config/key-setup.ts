import {
  loadConfig,
  OnceHubClient,
  resolveKeyProvider,
  type KeyProvider,
  type KeyRequest,
  type KeySource,
  type OnceKeyConfig,
  type OnceKeyEvent,
} from "@oncekey/core";
import { azureKeyVaultSource } from "@oncekey/azure-keyvault";
import { dotenvSource, envSource } from "@oncekey/env";
import { fileSource } from "@oncekey/file";

/**
 * Every key source oncekey ships: the command reads any configuration an app could have.
 *
 * @example
 * ```ts
 * const keys = resolveKeyProvider(process.env, KEY_SOURCES);
 * ```
 */
export const KEY_SOURCES: readonly KeySource[] = [envSource, dotenvSource, fileSource, azureKeyVaultSource];

/** The configuration as the app would read it, its key provider and a client calling OnceHub with it. */
export interface KeySetup {
  readonly config: OnceKeyConfig;
  readonly keys: KeyProvider;
  /** For the tenant, when one was asked for. */
  readonly client: OnceHubClient;
  /** What `getKey` takes for the tenant. */
  readonly request: KeyRequest | undefined;
  /** Closes the client and the provider (watchers, vault clients). */
  close(): Promise<void>;
}

/**
 * Reads the configuration from `env` with the library's own `loadConfig` and `resolveKeyProvider`, the way
 * `OnceHubClient.fromEnvironment` does, and builds a client with the library's default retries and timeouts: what
 * the command says about the key is what the app will do.
 *
 * @param env - The variables (`ONCEKEY_SOURCE` …).
 * @param tenant - The tenant whose key is meant, if any.
 * @param onEvent - Receives the client's events (requests, retries) for the latency.
 * @throws `ConfigError` for a bad configuration, `InvalidTenantError` for a bad tenant id.
 * @example
 * ```ts
 * const setup = setUpKeys(process.env, undefined, () => undefined);
 * const key = await setup.keys.getKey(setup.request);
 * ```
 */
export function setUpKeys(
  env: Readonly<Record<string, string | undefined>>,
  tenant: string | undefined,
  onEvent: (event: OnceKeyEvent) => void,
): KeySetup {
  const config = loadConfig(env, { sources: KEY_SOURCES });
  const keys = resolveKeyProvider(env, KEY_SOURCES);
  let root: OnceHubClient;
  try {
    root = new OnceHubClient({
      keys,
      baseUrl: config.baseUrl,
      ...(config.ca === undefined ? {} : { ca: config.ca }),
      onEvent,
    });
  } catch (error) {
    void keys.close?.().catch(() => undefined);
    throw error;
  }
  let client: OnceHubClient;
  try {
    client = tenant === undefined ? root : root.forTenant(tenant);
  } catch (error) {
    void Promise.all([root.close(), keys.close?.()]).catch(() => undefined);
    throw error;
  }
  return {
    config,
    keys,
    client,
    request: tenant === undefined ? undefined : { tenant },
    async close() {
      await root.close();
      await keys.close?.();
    },
  };
}
