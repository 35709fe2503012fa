import { ContainerModule } from "inversify";
import { bindServices, type OnceKeyServices } from "./bind-services.js";
import {
  servicesFromEnvironment,
  type OnceKeyModuleEnvironmentOptions,
} from "./services-from-environment.js";
import { servicesFromOptions, type OnceKeyModuleOptions } from "./services-from-options.js";

/**
 * An inversify 7 `ContainerModule` that binds `ONCEKEY.KeyProvider`, `ONCEKEY.Client` and `ONCEKEY.Config`.
 *
 * - Built from the same `KeySource` descriptors and `resolveKeyProvider` as plain use: the container holds
 *   nothing that `OnceHubClient.fromEnvironment` would not build.
 * - Everything is built when the container loads the module, so a bad configuration rejects
 *   `container.load(…)` with a `ConfigError` naming the variable and the fix, never the first request.
 * - The three are singletons. Unloading the module (`container.unload(module)`) closes the client and the
 *   provider, each once, as far as the container resolved them (inversify deactivates nothing else; resolving the
 *   client resolves the provider). Each load builds fresh ones, so a module can be loaded again after an unload.
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
 * await container.load(oncekey); // ConfigError here if ONCEKEY_SOURCE & co. are wrong
 * const client = container.get<OnceHubClient>(ONCEKEY.Client);
 * await client.forTenant("acme").test();
 * await container.unload(oncekey); // closes the client and the key provider
 * ```
 */
export class OnceKeyModule extends ContainerModule {
  private constructor(build: () => OnceKeyServices) {
    super((options) => bindServices(options, build()));
  }

  /**
   * A module configured by environment variables: `ONCEKEY_SOURCE` selects among `sources`, each source reads
   * its own variables, `ONCEHUB_BASE_URL` and `ONCEKEY_CA_FILE` set up the client. `env` is read when the
   * container loads the module.
   *
   * @param options - {@link OnceKeyModuleEnvironmentOptions}.
   * @returns A module to pass to `container.load`.
   * @example
   * ```ts
   * // ONCEKEY_SOURCE=file,env ONCEKEY_FILE_PATH=/run/secrets/oncehub ONCEHUB_API_KEY=…
   * await container.load(
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
   * await container.load(
   *   OnceKeyModule.fromOptions({ keys: fromFile({ path: "/run/secrets/oncehub-{tenant}" }), pacing: false }),
   * );
   * // or: OnceKeyModule.fromOptions({ sources: [fileSource], variables: { ONCEKEY_FILE_PATH: "/run/secrets/oncehub" } })
   * ```
   */
  static fromOptions(options: OnceKeyModuleOptions): OnceKeyModule {
    return new OnceKeyModule(() => servicesFromOptions(options));
  }
}
