import {
  ConfigError,
  loadConfig,
  type KeyProvider,
  type KeySource,
  type OnceHubClientOptions,
  type OnceKeyConfig,
} from "@oncekey/core";
import { keyProviderFromConfig } from "@oncekey/core/source";
import type { OnceKeyServices } from "./bind-services.js";
import { buildClient } from "./build-client.js";
import { checkModuleOptions } from "./check-module-options.js";

/**
 * The `keys` form of {@link OnceKeyModuleOptions}: a provider built in code, such as a factory's (`fromFile(…)`), a
 * `chain(…)` or your own store wrapped in `cached`.
 *
 * @example
 * ```ts
 * OnceKeyModule.fromOptions({ keys: fromFile({ path: "/run/secrets/oncehub/{tenant}", cache: { maxTenants: 50_000 } }) });
 * ```
 */
export interface OnceKeyModuleKeysOptions {
  /**
   * The provider. Once the container has resolved it or the client, unloading the module closes it; one the
   * container never handed out (directly or through the client) stays yours to close.
   */
  readonly keys: KeyProvider;
  /** Not with `keys`: the provider is given, so no source is set up. */
  readonly sources?: never;
  /** Not with `keys`: a given provider reads no configuration variable. */
  readonly variables?: never;
}

/**
 * The `sources` form of {@link OnceKeyModuleOptions}: registered sources, used in the order given, each set up by
 * the variables it would read from the environment.
 *
 * @example
 * ```ts
 * OnceKeyModule.fromOptions({
 *   sources: [fileSource, envSource],
 *   variables: { ONCEKEY_FILE_PATH: "/run/secrets/oncehub", ONCEHUB_API_KEY: settings.oncehubKey },
 * });
 * ```
 */
export interface OnceKeyModuleSourcesOptions {
  /** The sources to use, tried in this order (like `ONCEKEY_SOURCE=file,env`). */
  readonly sources: readonly KeySource[];
  /**
   * The sources' variables, e.g. `{ ONCEKEY_FILE_PATH: "/run/secrets/oncehub" }`. The sources come from `sources`
   * and the client's base URL and CA from `baseUrl` and `ca`, so `ONCEKEY_SOURCE`, `ONCEHUB_BASE_URL` and
   * `ONCEKEY_CA_FILE` are refused here.
   * @defaultValue `{}`
   */
  readonly variables?: Readonly<Record<string, string | undefined>>;
  /** Not with `sources`: the sources build the provider. */
  readonly keys?: never;
}

/**
 * Options of {@link OnceKeyModule.fromOptions}: the `OnceHubClient` options (`baseUrl`, `ca`, `pacing`, `retry` …,
 * each with the client's default), with either `keys` or `sources`. An unknown or misspelt name rejects the load
 * with a `ConfigError` naming it.
 *
 * @example
 * ```ts
 * const options: OnceKeyModuleOptions = { keys: fromEnv(), baseUrl: "https://api.oncehub.com/v2", pacing: false };
 * container.load(OnceKeyModule.fromOptions(options));
 * ```
 */
export type OnceKeyModuleOptions = Omit<OnceHubClientOptions, "keys"> &
  (OnceKeyModuleKeysOptions | OnceKeyModuleSourcesOptions);

/** Variables that `fromOptions` takes as options instead, with the option to use. */
const TAKEN_AS_OPTIONS: Readonly<Record<string, string>> = {
  ONCEKEY_SOURCE: "list the sources in `sources`",
  ONCEHUB_BASE_URL: "pass `baseUrl`",
  ONCEKEY_CA_FILE: "pass the PEM as `ca`",
};

/**
 * Builds the provider (unless given) and the client from code. A bad option throws (`ConfigError`, or
 * `InsecureTransportError`) before anything is bound.
 *
 * @param options - {@link OnceKeyModuleOptions}, as given.
 * @example
 * ```ts
 * const { config, keys, client } = servicesFromOptions({ keys: fromEnv(), pacing: false });
 * ```
 */
export function servicesFromOptions(options: OnceKeyModuleOptions): OnceKeyServices {
  checkModuleOptions("fromOptions", options);
  const { keys: given, sources, variables = {}, ...clientOptions } = options;
  const ca = typeof clientOptions.ca === "object" ? clientOptions.ca.toString("utf8") : clientOptions.ca;
  const caField = ca === undefined ? {} : { ca };
  if (given !== undefined && sources === undefined) {
    const client = buildClient({ ...clientOptions, keys: given }, { built: false });
    const config: OnceKeyConfig = {
      sources: [given.name],
      baseUrl: client.baseUrl,
      ...caField,
      env: Object.freeze({}),
    };
    return { config, keys: given, client, clientOwnsKeys: false };
  }
  if (given !== undefined || sources === undefined || sources.length === 0) {
    throw new ConfigError(
      "OnceKeyModule.fromOptions needs either `keys` (a KeyProvider) or `sources` (a non-empty list of KeySource " +
        "with their `variables`), not both.",
      { variable: given === undefined ? "sources" : "keys" },
    );
  }
  for (const [variable, fix] of Object.entries(TAKEN_AS_OPTIONS)) {
    if (variables[variable] !== undefined) {
      throw new ConfigError(`variables.${variable} is not read by OnceKeyModule.fromOptions: ${fix}.`, {
        variable: `variables.${variable}`,
      });
    }
  }
  const env = { ...variables, ONCEKEY_SOURCE: sources.map((source) => source.name).join(",") };
  // The sources see the CA given in code, as they would see ONCEKEY_CA_FILE's (a vault behind a private CA).
  const loaded: OnceKeyConfig = { ...loadConfig(env, { sources }), ...caField };
  const keys = keyProviderFromConfig(loaded, sources);
  const client = buildClient({ ...clientOptions, keys }, { built: true });
  return { config: { ...loaded, baseUrl: client.baseUrl }, keys, client, clientOwnsKeys: false };
}
