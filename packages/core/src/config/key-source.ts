import type { KeyProvider } from "../providers/key-provider.js";
import type { PacingStore } from "../transport/pacing/pacing-store.js";

/**
 * The validated configuration that {@link loadConfig} reads from the environment.
 *
 * @example
 * ```ts
 * const config: OnceKeyConfig = loadConfig(process.env, { sources: [envSource] });
 * console.log(config.sources, config.baseUrl); // [ 'env' ] https://api.oncehub.com/v2
 * ```
 */
export interface OnceKeyConfig {
  /** The key sources to try, in order (`ONCEKEY_SOURCE`). */
  readonly sources: readonly string[];
  /** The OnceHub API base URL, `https:` only (`ONCEHUB_BASE_URL`). */
  readonly baseUrl: string;
  /** Extra trusted CA certificates, PEM (`ONCEKEY_CA_FILE`'s content). */
  readonly ca?: string;
  /** The path `ca` was read from. */
  readonly caFile?: string;
  /** The pacing store named by `ONCEKEY_PACING_STORE`, when not the in-process one (`memory`). */
  readonly pacingStore?: string;
  /**
   * The store that store name built (`OnceHubClient.fromEnvironment` builds it before the key sources), for a
   * source that reads a service a fleet must pace together, such as Key Vault.
   */
  readonly pacing?: PacingStore;
  /** The variables the configuration was read from; each source reads its own here. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * A key source that configuration can select by name: `envSource`, `fileSource` … Each provider package
 * exports one; pass them to `resolveKeyProvider`, which calls `fromConfig` for every name in `ONCEKEY_SOURCE`.
 *
 * `fromConfig` reads the source's own variables from `config.env`, validates them and returns a provider
 * (already `cached`). A missing or bad variable is a `ConfigError` that names it, thrown here, at start-up.
 *
 * @example
 * ```ts
 * const mySource: KeySource = {
 *   name: "my-store",
 *   variables: ["MY_STORE_URL"],
 *   fromConfig: (config) =>
 *     cached(fromMyStore(requireConfigVariable(config, "MY_STORE_URL", { source: "my-store", example: "https://…" }))),
 * };
 * ```
 */
export interface KeySource {
  /** The name used in `ONCEKEY_SOURCE`: lower case letters, digits and `-`. */
  readonly name: string;
  /** The environment variables this source reads: a description for tools and docs (core does not read it). */
  readonly variables?: readonly string[];
  /**
   * The npm package that provides it: a description for tools and docs. (Core's "not registered" message names the
   * packages of the shipped sources itself, since an unregistered source cannot tell its own.)
   */
  readonly packageName?: string;
  /** Builds the provider from configuration. */
  fromConfig(config: OnceKeyConfig): KeyProvider;
}
