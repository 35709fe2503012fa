import { ContainerModule } from "inversify";
import { bindServices, type OnceKeyServices } from "./bind-services.js";
import {
  servicesFromEnvironment,
  type OnceKeyModuleEnvironmentOptions,
} from "./services-from-environment.js";
import { servicesFromOptions, type OnceKeyModuleOptions } from "./services-from-options.js";

/**
 * An inversify `ContainerModule` (inversify 7.11+ or 8.2+) that binds `ONCEKEY.KeyProvider`, `ONCEKEY.Client` and
 * `ONCEKEY.Config`.
 *
 * - Built from the same `KeySource` descriptors and the same public steps as `OnceHubClient.fromEnvironment`
 *   (`loadConfig`, `resolveKeyProvider`, the client): the container holds nothing that plain use would not build.
 * - Everything is built when the container loads the module, once per load, so a bad configuration or option
 *   fails the load with a `ConfigError` naming the variable or option and the fix, never the first request. The
 *   module's load is synchronous: inversify 8's `container.load` and 7's `loadSync` work as well as the async ones.
 * - The three are singletons. Unloading the module closes the client and the provider, each once, when the
 *   container handed either out; that takes the async unload, `container.unloadAsync(module)` on inversify 8 and
 *   `container.unload(module)` on 7. A client nobody resolved holds no connection. Each load builds fresh
 *   services, so a module can be loaded again after an unload.
 * - Nothing here uses decorators: the module works without `emitDecoratorMetadata`, and `container.get` is
 *   synchronous for all three.
 *
 * @example
 * ```ts
 * import "reflect-metadata";
 * import { Container } from "inversify";
 * import { OnceKeyModule, ONCEKEY } from "@oncekey/inversify";
 * import { envSource, dotenvSource } from "@oncekey/env";
 * import { fileSource } from "@oncekey/file";
 *
 * const container = new Container();
 * const oncekey = OnceKeyModule.fromEnvironment({ sources: [envSource, dotenvSource, fileSource] });
 * container.load(oncekey); // ConfigError here if ONCEKEY_SOURCE & co. are wrong (inversify 7: await container.load)
 * const client = container.get<OnceHubClient>(ONCEKEY.Client);
 * await client.forTenant("acme").test();
 * await container.unloadAsync(oncekey); // closes the client and the key provider (inversify 7: container.unload)
 * ```
 */
export class OnceKeyModule extends ContainerModule {
  private constructor(build: () => OnceKeyServices) {
    super((options) => bindServices(options, build()));
  }

  /**
   * A module configured by environment variables: `ONCEKEY_SOURCE` selects among `sources`, each source reads
   * its own variables, `ONCEHUB_BASE_URL` and `ONCEKEY_CA_FILE` set up the client. `env` is read when the
   * container loads the module. Client options go in `client`.
   *
   * @param options - {@link OnceKeyModuleEnvironmentOptions}.
   * @returns A module to pass to `container.load`.
   * @example
   * ```ts
   * // ONCEKEY_SOURCE=file,env ONCEKEY_FILE_PATH=/run/secrets/oncehub ONCEHUB_API_KEY=…
   * container.load(
   *   OnceKeyModule.fromEnvironment({
   *     sources: [envSource, fileSource, azureKeyVaultSource],
   *     client: { retry: { maxAttempts: 5 } },
   *   }),
   * );
   * ```
   */
  static fromEnvironment(options: OnceKeyModuleEnvironmentOptions): OnceKeyModule {
    return new OnceKeyModule(() => servicesFromEnvironment(options));
  }

  /**
   * A module configured in code: the client's options, and either `keys` (a provider) or `sources` with their
   * `variables`. An `http:` `baseUrl` rejects the load with an `InsecureTransportError`.
   *
   * @param options - {@link OnceKeyModuleOptions}.
   * @returns A module to pass to `container.load`.
   * @example
   * ```ts
   * container.load(
   *   OnceKeyModule.fromOptions({ keys: fromFile({ path: "/run/secrets/oncehub-{tenant}" }), pacing: false }),
   * );
   * // or: OnceKeyModule.fromOptions({ sources: [fileSource], variables: { ONCEKEY_FILE_PATH: "/run/secrets/oncehub" } })
   * ```
   */
  static fromOptions(options: OnceKeyModuleOptions): OnceKeyModule {
    return new OnceKeyModule(() => servicesFromOptions(options));
  }
}
