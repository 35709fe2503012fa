import type { PacingStore } from "../transport/pacing/pacing-store.js";
import type { OnceKeyConfig } from "./key-source.js";

/**
 * A pacing store that configuration can select by name (`ONCEKEY_PACING_STORE`), the way `KeySource` selects a
 * key source: `redisPacingSource` from `@oncekey/redis`. Pass them to `OnceHubClient.fromEnvironment({
 * pacingSources })`, which calls `fromConfig` when `ONCEKEY_PACING_STORE` names the source.
 *
 * `fromConfig` reads the store's own variables from `config.env` (`ONCEKEY_REDIS_URL` …), checks them and
 * returns the store; a missing or bad variable is a `ConfigError` naming it, thrown then, at start-up.
 *
 * @example
 * ```ts
 * // ONCEKEY_PACING_STORE=redis ONCEKEY_REDIS_URL=redis://redis:6379
 * const client = OnceHubClient.fromEnvironment({ sources: [envSource], pacingSources: [redisPacingSource] });
 * ```
 */
export interface PacingSource {
  /** The name used in `ONCEKEY_PACING_STORE`: lower case letters, digits and `-`. */
  readonly name: string;
  /** The environment variables it reads: a description for tools and docs. */
  readonly variables?: readonly string[];
  /** The npm package that provides it: a description for tools and docs. */
  readonly packageName?: string;
  /** Builds the store from configuration. */
  fromConfig(config: OnceKeyConfig): PacingStore;
}
