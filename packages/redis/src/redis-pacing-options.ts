import type { OnceKeyEventListener } from "@oncekey/core";

/**
 * The part of a node-redis client (`createClient()` from `redis` or `@redis/client` 6.x) the store uses.
 * A client passed in stays the app's: the store never connects or closes it.
 *
 * @example
 * ```ts
 * const client = createClient({ url: process.env.REDIS_URL });
 * await client.connect();
 * const store = redisPacing({ client });
 * ```
 */
export interface RedisPacingClient {
  /** Runs a script the server already holds, by its SHA-1 (`EVALSHA`); rejects with `NOSCRIPT …` when it does not. */
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** Runs a script from its source (`EVAL`), which also loads it for later `evalSha` calls. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** A view of the client whose commands time out. */
  withCommandOptions(options: { timeout?: number; rejectInFlight?: boolean }): RedisPacingClient;
}

/**
 * Options of {@link redisPacing}: where Redis is (`url` or `client`, one of them) and how the store behaves when
 * it is slow or down.
 *
 * @example
 * ```ts
 * const store = redisPacing({ url: "redis://redis.internal:6379", prefix: "billing:oncekey:{pacing}:" });
 * ```
 */
export interface RedisPacingOptions {
  /**
   * The Redis URL, `redis://[[user]:password@]host[:port][/db]` or `rediss://` for TLS. The store opens its own
   * connection and closes it with `close()` (the client closes the store it got from configuration).
   */
  readonly url?: string;
  /** A node-redis client the app already has, in place of `url`; it stays the app's to connect and close. */
  readonly client?: RedisPacingClient;
  /**
   * Prefix of every key the store writes. Processes that share budgets use the same prefix; keep the `{…}` hash
   * tag so a Redis Cluster puts every key of one script on one shard.
   * @defaultValue `"oncekey:{pacing}:"`
   */
  readonly prefix?: string;
  /**
   * How long a budget take may wait for Redis before the process paces with its local share instead.
   * @defaultValue `200`
   */
  readonly timeoutMs?: number;
  /**
   * How often the process announces itself (and, while on its local share, checks whether Redis is back).
   * Instances not heard from for three periods no longer count.
   * @defaultValue `2_000`
   */
  readonly heartbeatMs?: number;
  /**
   * How many instances share the budgets when Redis is unreachable: each takes this fraction of every limit.
   * @defaultValue the count last seen in Redis (1 if Redis was never reached)
   */
  readonly fallbackInstances?: number;
  /** Receives `pacing:fallback` and `pacing:recovered` (clients using the store receive them too). */
  readonly onEvent?: OnceKeyEventListener;
}
