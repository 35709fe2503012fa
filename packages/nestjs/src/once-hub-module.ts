import { ConfigError, OnceHubClient } from "@oncekey/core";
import type { TenantRequest } from "@oncekey/core/http";
import { checkOptionNames, describeOptionValue } from "@oncekey/core/source";
import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Provider,
} from "@nestjs/common";
import { APP_FILTER } from "@nestjs/core";
import { globalOption } from "./global-option.js";
import { ONCEHUB_MODULE_OPTIONS } from "./module-options-token.js";
import { OnceHubExceptionFilter } from "./once-hub-exception-filter.js";
import { OnceHubHealth } from "./once-hub-health.js";
import type {
  OnceHubModuleAsyncOptions,
  OnceHubModuleGlobalOption,
  OnceHubModuleOptions,
} from "./once-hub-module-options.js";
import { resolveModuleOptions, type ResolvedModuleOptions } from "./resolve-module-options.js";

/** The providers both forms share: the client over the checked options, the health check, the filter. */
const SHARED_PROVIDERS: Provider[] = [
  {
    provide: OnceHubClient,
    useFactory: (options: ResolvedModuleOptions) => options.createClient(),
    inject: [ONCEHUB_MODULE_OPTIONS],
  },
  {
    provide: OnceHubHealth,
    useFactory: (client: OnceHubClient) => new OnceHubHealth(client),
    inject: [OnceHubClient],
  },
  { provide: APP_FILTER, useClass: OnceHubExceptionFilter },
];
const EXPORTS = [OnceHubClient, OnceHubHealth, ONCEHUB_MODULE_OPTIONS];

/**
 * The NestJS module for oncekey: it provides `OnceHubClient` (injected by its class), `OnceHubHealth`, and what
 * `@TenantClient()` and `OnceHubWebhookGuard` need; importing it registers the filter that answers oncekey errors
 * as HTTP (and only those: other exceptions stay Nest's and yours).
 *
 * - Built with Nest's own dependency injection; nothing in it needs emitted decorator metadata.
 * - The options are checked when the module is created: a bad one stops the app at start-up with a `ConfigError`
 *   naming it, and so does a bad configuration of the key sources (`ONCEKEY_SOURCE` …).
 * - The client, and a `keys` provider passed in, are closed on `onApplicationShutdown` (`app.close()`, or a signal
 *   with `enableShutdownHooks()`).
 * - Call `forRoot`/`forRootAsync` once, in the root module: each call builds its own client, with its own
 *   connections and its own pacing (two clients could send twice OnceHub's per-account budget). `global: true`
 *   makes its providers visible to every module; otherwise re-export the module from the one that imports it.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     OnceHubModule.forRoot({
 *       sources: [envSource, fileSource],
 *       tenant: tenantFromHeader("x-tenant"),
 *       webhook: { secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "" },
 *       global: true,
 *     }),
 *   ],
 *   controllers: [BookingsController],
 * })
 * class AppModule {}
 * ```
 */
@Module({})
export class OnceHubModule implements OnApplicationShutdown {
  /** @internal Nest creates it. */
  constructor(
    @Inject(OnceHubClient) private readonly client: OnceHubClient,
    @Inject(ONCEHUB_MODULE_OPTIONS) private readonly options: ResolvedModuleOptions,
  ) {}

  /**
   * The module, configured in code: the key as `sources` (picked by `ONCEKEY_SOURCE`, as
   * `OnceHubClient.fromEnvironment` does) or as a `keys` provider, with the client's options, the request's
   * `tenant` and the `webhook` check.
   *
   * @param options - {@link OnceHubModuleOptions} and `global`.
   * @returns The dynamic module to import.
   * @throws `ConfigError` for a bad option.
   * @example
   * ```ts
   * OnceHubModule.forRoot({ keys: fromFile({ path: "/run/secrets/oncehub/{tenant}" }), tenant: tenantFromParam("tenant") });
   * ```
   */
  static forRoot<R extends TenantRequest = TenantRequest>(
    options: OnceHubModuleOptions<R> & OnceHubModuleGlobalOption,
  ): DynamicModule {
    const resolved = resolveModuleOptions(options as OnceHubModuleOptions, "forRoot");
    return {
      module: OnceHubModule,
      global: globalOption(options.global, "OnceHubModule.forRoot"),
      providers: [{ provide: ONCEHUB_MODULE_OPTIONS, useValue: resolved }, ...SHARED_PROVIDERS],
      exports: EXPORTS,
    };
  }

  /**
   * The module, configured by a factory that may take other providers, such as `ConfigService`: the factory runs
   * when the app starts, and what it returns is checked as `forRoot`'s options are.
   *
   * @param options - {@link OnceHubModuleAsyncOptions}.
   * @returns The dynamic module to import.
   * @throws `ConfigError` for a bad option here; what the factory returns is checked when it has run.
   * @example
   * ```ts
   * OnceHubModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ keys: fromFile({ path: config.getOrThrow("ONCEHUB_KEY_FILE") }) }),
   * });
   * ```
   */
  static forRootAsync<R extends TenantRequest = TenantRequest>(
    options: OnceHubModuleAsyncOptions<R>,
  ): DynamicModule {
    checkOptionNames(
      options as unknown,
      ["imports", "inject", "useFactory", "global"],
      "OnceHubModule.forRootAsync",
    );
    if (typeof options?.useFactory !== "function") {
      throw new ConfigError(
        `OnceHubModule.forRootAsync: useFactory must be a function that returns the module's options, got ${describeOptionValue(options?.useFactory)}.`,
        { variable: "useFactory" },
      );
    }
    const { useFactory } = options;
    return {
      module: OnceHubModule,
      global: globalOption(options.global, "OnceHubModule.forRootAsync"),
      imports: options.imports ?? [],
      providers: [
        {
          provide: ONCEHUB_MODULE_OPTIONS,
          useFactory: async (...args: never[]) =>
            resolveModuleOptions((await useFactory(...args)) as OnceHubModuleOptions, "forRootAsync"),
          inject: options.inject ?? [],
        },
        ...SHARED_PROVIDERS,
      ],
      exports: EXPORTS,
    };
  }

  /**
   * Closes the client (its connections, once requests in flight end, and the key provider `sources` built), then
   * a `keys` provider passed in (its file watchers, vault clients).
   */
  async onApplicationShutdown(): Promise<void> {
    try {
      await this.client.close();
    } finally {
      await this.options.keys?.close?.();
    }
  }
}
