import { ConfigError, type PacingSource } from "@oncekey/core";
import { redisPacing, checkUrl } from "./redis-pacing.js";

/**
 * The Redis pacing store chosen by configuration: `ONCEKEY_PACING_STORE=redis` with `ONCEKEY_REDIS_URL` (and
 * optionally `ONCEKEY_REDIS_PREFIX`). Register it with `OnceHubClient.fromEnvironment({ pacingSources })`, so
 * moving a deployment from one process to a fleet is a change of variables, not of code.
 *
 * @example
 * ```ts
 * // ONCEKEY_PACING_STORE=redis ONCEKEY_REDIS_URL=redis://redis:6379
 * const client = OnceHubClient.fromEnvironment({ sources: [envSource], pacingSources: [redisPacingSource] });
 * ```
 */
export const redisPacingSource: PacingSource = {
  name: "redis",
  variables: ["ONCEKEY_REDIS_URL", "ONCEKEY_REDIS_PREFIX"],
  packageName: "@oncekey/redis",
  fromConfig(config) {
    const url = config.env.ONCEKEY_REDIS_URL?.trim();
    if (url === undefined || url === "") {
      throw new ConfigError(
        "ONCEKEY_PACING_STORE is redis, but ONCEKEY_REDIS_URL is not set. Set it, e.g. " +
          "ONCEKEY_REDIS_URL=redis://redis:6379, or unset ONCEKEY_PACING_STORE to pace within each process.",
        { variable: "ONCEKEY_REDIS_URL" },
      );
    }
    checkUrl(url, "ONCEKEY_REDIS_URL");
    const prefix = config.env.ONCEKEY_REDIS_PREFIX?.trim();
    return redisPacing({ url, ...(prefix === undefined || prefix === "" ? {} : { prefix }) });
  },
};
