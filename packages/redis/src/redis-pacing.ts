import { ConfigError, type PacingStore } from "@oncekey/core";
import { checkOptionNames, describeOptionValue, functionOption, numberOption } from "@oncekey/core/source";
import { createClient } from "@redis/client";
import type { RedisPacingClient, RedisPacingOptions } from "./redis-pacing-options.js";
import { RedisPacingStore } from "./redis-pacing-store.js";

const WHERE = "redisPacing";

/**
 * What {@link redisPacing} returns: a pacing store to pass as `pacing.store`, which also tells whether it paces with
 * the shared budgets, for a health check, and must be closed by whoever made it.
 *
 * @example
 * ```ts
 * const store = redisPacing({ url });
 * app.get("/health", (_, res) => res.json({ sharedPacing: store.shared, instances: store.instances }));
 * ```
 */
export interface RedisPacing extends PacingStore {
  /** True while the budgets come from Redis; false while the process paces with its local share. */
  readonly shared: boolean;
  /** The instances sharing the budgets, as last seen in Redis (or `fallbackInstances`). */
  readonly instances: number;
  /** Stops the heartbeat and closes the connection the store opened (a `client` passed in stays open). */
  close(): Promise<void>;
}
const OPTIONS = ["url", "client", "prefix", "timeoutMs", "heartbeatMs", "fallbackInstances", "onEvent"];

/**
 * A pacing store in Redis, for `new OnceHubClient({ pacing: { store } })`: OnceHub's per-account and per-IP
 * budgets (and any other, such as Key Vault's reads) shared by every process of a fleet that uses the same Redis
 * and prefix.
 *
 * - Every take is one Lua script (EVALSHA) that takes from all of a request's budgets or from none, on the
 *   server's clock: a GCRA per account, a sliding-window log for the egress, so no window ever holds more than its
 *   limit, whichever process sent.
 * - When Redis is down, refuses the password or is slower than `timeoutMs`, no call waits for it or fails: the
 *   process paces with its share of each budget (the limit divided by the instances it last saw, or
 *   `fallbackInstances`) and reports `pacing:fallback`; when a heartbeat finds Redis again it writes back what
 *   it sent meanwhile and reports `pacing:recovered`.
 * - Each process announces itself every `heartbeatMs` so the others know how many share the budgets.
 *
 * The URL is checked here; connecting happens in the background, so a Redis that is not up yet is a
 * `pacing:fallback` event, never an error.
 *
 * @param options - {@link RedisPacingOptions}: `url` or `client`.
 * @throws `ConfigError` for a missing, malformed or non-Redis URL (never repeating it: it may hold a password),
 *   both or neither of `url` and `client`, or any other bad option.
 * @example
 * ```ts
 * import { OnceHubClient } from "@oncekey/core";
 * import { fromEnv } from "@oncekey/env";
 * import { redisPacing } from "@oncekey/redis";
 *
 * const client = new OnceHubClient({
 *   keys: fromEnv({ variable: "ONCEHUB_API_KEY_{tenant}" }),
 *   pacing: { store: redisPacing({ url: "redis://redis.internal:6379" }) },
 * });
 * ```
 */
export function redisPacing(options: RedisPacingOptions): RedisPacing {
  if (options === undefined || options === null || typeof options !== "object") {
    throw new ConfigError(
      `${WHERE} needs an options object with url or client, got ${describeOptionValue(options)}.`,
      {
        variable: "options",
      },
    );
  }
  checkOptionNames(options, OPTIONS, WHERE);
  const prefix = checkPrefix(options.prefix);
  const timeoutMs = numberOption(
    options.timeoutMs,
    "timeoutMs",
    200,
    { min: 1, max: 60_000, unit: "ms" },
    WHERE,
  );
  const heartbeatMs = numberOption(
    options.heartbeatMs,
    "heartbeatMs",
    2_000,
    { min: 10, max: 600_000, unit: "ms" },
    WHERE,
  );
  const fallbackInstances =
    options.fallbackInstances === undefined
      ? undefined
      : numberOption(
          options.fallbackInstances,
          "fallbackInstances",
          1,
          { min: 1, max: 100_000, integer: true },
          WHERE,
        );
  const onEvent = functionOption<NonNullable<RedisPacingOptions["onEvent"]>>(
    options.onEvent,
    "onEvent",
    "receives each event",
    WHERE,
  );
  if ((options.url === undefined) === (options.client === undefined)) {
    throw new ConfigError(
      `${WHERE} needs exactly one of url (a redis:// URL) and client (a node-redis client), got ` +
        `${options.url === undefined ? "neither" : "both"}.`,
      { variable: "url" },
    );
  }
  // The first connection (TCP, TLS, AUTH) takes longer than a command; a take waits for it this long at most.
  const common = {
    prefix,
    timeoutMs,
    startupMs: Math.max(timeoutMs, 2_000),
    heartbeatMs,
    fallbackInstances,
    onEvent,
  };
  if (options.client !== undefined) {
    const client = checkClient(options.client);
    return new RedisPacingStore({
      ...common,
      client: client.withCommandOptions({ timeout: timeoutMs, rejectInFlight: true }),
      closeClient: undefined,
      lastConnectionError: () => undefined,
      onConnectionError: undefined,
    });
  }
  const url = checkUrl(options.url, "url");
  let lastError: unknown;
  const errorListeners: ((error: unknown) => void)[] = [];
  const client = connectTo(url, timeoutMs);
  // Without a listener, a connection error would crash the process; the store reports it as a fallback instead.
  client.on("error", (error: unknown) => {
    lastError = error;
    for (const listener of errorListeners) listener(error);
  });
  client.on("ready", () => {
    lastError = undefined;
  });
  client.connect().catch(() => undefined);
  return new RedisPacingStore({
    ...common,
    client: client as unknown as RedisPacingClient,
    closeClient: async () => {
      client.destroy();
    },
    lastConnectionError: () => lastError,
    onConnectionError: (listener) => void errorListeners.push(listener),
  });
}

/**
 * Checks a Redis URL without ever repeating it (it may hold a password): a `redis:` or `rediss:` URL with a
 * host.
 *
 * @param url - The URL as given.
 * @param variable - The option or variable it came from, for the error.
 */
export function checkUrl(url: unknown, variable: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (
    parsed === undefined ||
    (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") ||
    parsed.hostname === ""
  ) {
    throw new ConfigError(
      `${variable} must be a Redis URL such as redis://host:6379 (rediss:// for TLS, redis://:password@host:6379 ` +
        `with a password); got ${describeOptionValue(url)} that is not one.`,
      { variable },
    );
  }
  if (parsed.pathname.length > 1 && !/^\/\d{1,5}$/.test(parsed.pathname)) {
    throw new ConfigError(
      `${variable} must name a database by its number after the host (redis://host:6379/0), or none; its path ` +
        `is not a number.`,
      { variable },
    );
  }
  try {
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
  } catch {
    throw new ConfigError(
      `${variable} has a user name or password that is not percent-encoded: write % as %25, and @, : and / as ` +
        `%40, %3A and %2F.`,
      { variable },
    );
  }
  return url as string;
}

function connectTo(url: string, timeoutMs: number): ReturnType<typeof createClient> {
  try {
    return createClient({
      url,
      // While (re)connecting, a command waits for the connection, at most timeoutMs like any other.
      commandOptions: { timeout: timeoutMs, rejectInFlight: true },
      socket: {
        connectTimeout: Math.max(timeoutMs, 1_000),
        // Back off to a retry every 2 s while Redis is away; never give up: it may come back.
        reconnectStrategy: (retries: number) =>
          Math.min(50 * 2 ** Math.min(retries, 6), 2_000) + Math.random() * 100,
      },
    });
  } catch {
    // The client's own reading of the URL: its message may repeat the URL, and with it a password.
    throw new ConfigError(
      `${WHERE}: url is not a Redis URL the Redis client accepts; write it as redis://[:password@]host:6379[/db].`,
      { variable: "url" },
    );
  }
}

function checkPrefix(prefix: unknown): string {
  if (prefix === undefined) return "oncekey:{pacing}:";
  if (
    typeof prefix !== "string" ||
    prefix.length === 0 ||
    prefix.length > 200 ||
    /[\s\p{Cc}]/u.test(prefix)
  ) {
    throw new ConfigError(
      `${WHERE}: prefix must be 1 to 200 characters without spaces or control characters, got ${describeOptionValue(prefix)}.`,
      { variable: "prefix" },
    );
  }
  return prefix;
}

function checkClient(client: unknown): RedisPacingClient {
  const candidate = client as Partial<RedisPacingClient> | null;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    typeof candidate.evalSha !== "function" ||
    typeof candidate.eval !== "function" ||
    typeof candidate.withCommandOptions !== "function"
  ) {
    throw new ConfigError(
      `${WHERE}: client must be a node-redis client (createClient() from redis 6), got ${describeOptionValue(client)}.`,
      { variable: "client" },
    );
  }
  return candidate as RedisPacingClient;
}
