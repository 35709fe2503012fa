import type { KeyProvider, KeySource, OnceHubClientOptions, PacingSource } from "@oncekey/core";
import type { TenantRequest } from "@oncekey/core/http";
import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from "@nestjs/common";

/**
 * The webhook check of {@link OnceHubModuleOptions}: what `OnceHubWebhookGuard` verifies deliveries with.
 *
 * @example
 * ```ts
 * const webhook: OnceHubWebhookOptions = { secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "", toleranceSeconds: 300 };
 * ```
 */
export interface OnceHubWebhookOptions<R extends TenantRequest = TenantRequest> {
  /**
   * The subscription's signing secret, or a function of the underlying HTTP request (Express's or Fastify's) that
   * returns it, sync or async, e.g. per tenant: `(req) => secrets.of(req.params.tenant)`.
   */
  readonly secret: string | ((request: R) => string | Promise<string>);
  /**
   * How far a delivery's signature time may lie from now, in seconds, either way; older deliveries are refused
   * as possible replays (`too_old`).
   * @defaultValue `300`
   */
  readonly toleranceSeconds?: number;
}

/**
 * What every form of {@link OnceHubModuleOptions} takes besides the key: the client's options (pacing, retry,
 * timeouts, rotation, connections, onEvent), the request's tenant and the webhook check.
 *
 * @example
 * ```ts
 * const common: OnceHubModuleCommonOptions = { tenant: tenantFromHeader("x-tenant"), retry: { maxAttempts: 5 } };
 * ```
 */
export interface OnceHubModuleCommonOptions<R extends TenantRequest = TenantRequest> extends Omit<
  OnceHubClientOptions,
  "keys" | "tenant" | "baseUrl" | "ca"
> {
  /**
   * Which tenant a request is for, from the underlying HTTP request (Express's or Fastify's): a tenant id, or
   * `undefined` for the client's own key. `@TenantClient()` gives `client.forTenant(tenant(request))`. Use
   * `tenantFromHeader`, `tenantFromSubdomain`, `tenantFromParam` or a function of your own. It is never the
   * client's fixed `tenant`.
   * @defaultValue none: `@TenantClient()` is the client itself
   */
  readonly tenant?: (request: R) => string | undefined;
  /**
   * The webhook check `OnceHubWebhookGuard` applies.
   * @defaultValue none: the guard refuses to run (a `ConfigError`)
   */
  readonly webhook?: OnceHubWebhookOptions<R>;
}

/**
 * {@link OnceHubModuleOptions} with a provider built in code: `fromFile(…)`, `chain(…)`, your own.
 *
 * @example
 * ```ts
 * OnceHubModule.forRoot({ keys: fromFile({ path: "/run/secrets/oncehub/{tenant}" }), baseUrl: "https://api.oncehub.com/v2" });
 * ```
 */
export interface OnceHubModuleKeysOptions<
  R extends TenantRequest = TenantRequest,
> extends OnceHubModuleCommonOptions<R> {
  /** The key provider; the module closes it when the app shuts down, after the client. */
  readonly keys: KeyProvider;
  /** The API base, `https:` only. @defaultValue `"https://api.oncehub.com/v2"` */
  readonly baseUrl?: string;
  /** Extra CA certificates (PEM) to trust. @defaultValue none */
  readonly ca?: string | Buffer;
  /** Not with `keys`: the `sources` form reads the key by configuration. */
  readonly sources?: never;
  /** Not with `keys`: the `sources` form reads the key by configuration. */
  readonly env?: never;
  /** Not with `keys`: pass a store as `pacing.store`. */
  readonly pacingSources?: never;
}

/**
 * {@link OnceHubModuleOptions} configured by environment variables, as `OnceHubClient.fromEnvironment`:
 * `ONCEKEY_SOURCE` picks among `sources`, `ONCEKEY_PACING_STORE` among `pacingSources`, `ONCEHUB_BASE_URL` and
 * `ONCEKEY_CA_FILE` set up the client.
 *
 * @example
 * ```ts
 * OnceHubModule.forRoot({ sources: [envSource, fileSource, azureKeyVaultSource] });
 * ```
 */
export interface OnceHubModuleSourcesOptions<
  R extends TenantRequest = TenantRequest,
> extends OnceHubModuleCommonOptions<R> {
  /** The key sources the app registers; `ONCEKEY_SOURCE` picks among them. */
  readonly sources: readonly KeySource[];
  /**
   * The pacing stores the app registers (`redisPacingSource`); `ONCEKEY_PACING_STORE` picks among them.
   * @defaultValue none: the in-process store
   */
  readonly pacingSources?: readonly PacingSource[];
  /** The variables to read. @defaultValue `process.env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Not with `sources`: the `keys` form takes a provider built in code. */
  readonly keys?: never;
  /** Not with `sources`: `ONCEHUB_BASE_URL` sets it. */
  readonly baseUrl?: never;
  /** Not with `sources`: `ONCEKEY_CA_FILE` sets it. */
  readonly ca?: never;
}

/**
 * Options of `OnceHubModule.forRoot` (and what `forRootAsync`'s factory returns): the key, as `sources` read by
 * configuration or a `keys` provider, with the client's options, the request's `tenant` and the `webhook` check.
 *
 * @example
 * ```ts
 * OnceHubModule.forRoot({
 *   sources: [envSource, fileSource],
 *   tenant: tenantFromHeader("x-tenant"),
 *   webhook: { secret: process.env.ONCEHUB_WEBHOOK_SECRET ?? "" },
 * });
 * ```
 */
export type OnceHubModuleOptions<R extends TenantRequest = TenantRequest> =
  OnceHubModuleKeysOptions<R> | OnceHubModuleSourcesOptions<R>;

/**
 * Whether the module's providers (`OnceHubClient`, `OnceHubHealth`) are visible to every module without importing
 * it.
 *
 * @example
 * ```ts
 * OnceHubModule.forRoot({ sources: [envSource], global: true });
 * ```
 */
export interface OnceHubModuleGlobalOption {
  /** @defaultValue `false`: import the module where it is used */
  readonly global?: boolean;
}

/**
 * Options of `OnceHubModule.forRootAsync`: the options come from `useFactory`, which may take providers (`inject`)
 * from `imports`, such as `ConfigService`.
 *
 * @example
 * ```ts
 * OnceHubModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ sources: [envSource], env: config.get("oncehub") }),
 * });
 * ```
 */
export interface OnceHubModuleAsyncOptions<
  R extends TenantRequest = TenantRequest,
> extends OnceHubModuleGlobalOption {
  /** Modules whose exported providers `inject` names. @defaultValue `[]` */
  readonly imports?: ModuleMetadata["imports"];
  /** The providers passed to `useFactory`, in order. @defaultValue `[]` */
  readonly inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Returns the module's options, or a promise of them. */
  readonly useFactory: (...args: never[]) => OnceHubModuleOptions<R> | Promise<OnceHubModuleOptions<R>>;
}
