import { performance } from "node:perf_hooks";
import { checkSources } from "../config/check-sources.js";
import { loadConfig } from "../config/load-config.js";
import { pacingStoreFromConfig } from "../config/pacing-store-from-config.js";
import { ConfigError } from "../errors/config-error.js";
import { keyProviderFromConfig } from "../config/resolve-key-provider.js";
import { NetworkError } from "../errors/network-error.js";
import type { KeyProvider, KeyRequest } from "../providers/key-provider.js";
import { validateTenant } from "../tenant/validate-tenant.js";
import type { KeyUsage } from "../transport/key-usage.js";
import { pathOf, requestTarget } from "../transport/request-target.js";
import type { TransportCall } from "../transport/transport-config.js";
import { type CallTrace, isCallTraced, traceCall } from "../events/trace-call.js";
import { nextCallId } from "./next-call-id.js";
import { sendRequest } from "../transport/send-request.js";
import { type BookingsResource, bookingsResource } from "./bookings-resource.js";
import {
  callSignal,
  extraHeaders,
  httpMethod,
  jsonBody,
  type CallOptions,
  type RequestOptions,
} from "./call-options.js";
import { type ClientTree, createClientTree } from "./client-tree.js";
import type { FromEnvironmentOptions, OnceHubClientOptions } from "./once-hub-client-options.js";
import { type WebhooksResource, webhooksResource } from "./webhooks-resource.js";

/**
 * What `test()` returns: the account the key belongs to, and OnceHub's message.
 *
 * @example
 * ```ts
 * const { account } = await client.test();
 * ```
 */
export interface TestResult {
  /** The account's email, read from the message. */
  readonly account: string;
  /** e.g. `The API key is valid for account: admin@example.com`. */
  readonly message: string;
}

const NO_VARIABLES: Readonly<Record<string, string>> = Object.freeze({});

/** What a client holds: the state it shares with its tree, its tenant, and whether it is the tree's root. */
interface ClientState {
  readonly tree: ClientTree;
  readonly tenant: string | undefined;
  readonly isRoot: boolean;
}

/**
 * The OnceHub API client: every call carries the key from the provider over HTTPS, through one connection pool
 * per process, paced per key, retried within limits, with a rejected key fetched again and the call replayed
 * once.
 *
 * - `http:` base URLs are refused at construction, before any socket; a redirect to another origin is never
 *   followed, so the key goes only to the base URL's origin. TLS verification is always on (`ca` adds a CA).
 * - 401: the key is invalidated, fetched again (one read for all concurrent callers with a cached provider) and
 *   the call replayed once if the key changed; otherwise an `AuthenticationError` naming its fingerprint and
 *   source. 403 (plan without API access) is never retried.
 * - 429, 500/502/503/504 and network failures are retried with backoff and full jitter, honouring `Retry-After`;
 *   a request that may have reached OnceHub is sent again only if its method is idempotent (GET, PUT, DELETE …).
 * - Events go to `onEvent` and to `node:diagnostics_channel`: the client's own (`request`, `retry`, `paced`,
 *   `key:rejected`) and its provider's (`key:loaded`, `key:rotated`, `key:stale`, `key:warning` …, through the
 *   provider's `subscribe`); `usage()` counts per key.
 *
 * @example
 * ```ts
 * import { OnceHubClient } from "@oncekey/core";
 * import { envSource } from "@oncekey/env";
 *
 * const client = OnceHubClient.fromEnvironment({ sources: [envSource] });
 * const { account } = await client.test();
 * for await (const booking of client.bookings.list({ status: "scheduled" })) console.log(booking.id);
 * await client.close();
 * ```
 */
export class OnceHubClient {
  /** The tenant whose key this client uses, if any. */
  readonly tenant: string | undefined;
  /** The API base, e.g. `https://api.oncehub.com/v2`. */
  readonly baseUrl: string;
  /** OnceHub's bookings: `list` walks them (`for await`), `page` reads one page, `get` one booking. */
  readonly bookings: BookingsResource;
  /** OnceHub's webhook subscriptions, the account's: `list`, `page`, `get`, `create` (with its secret), `delete`. */
  readonly webhooks: WebhooksResource;
  readonly #tree: ClientTree;
  readonly #isRoot: boolean;
  #closed = false;
  /** The state of a client that {@link OnceHubClient.#create} is building; read once by the constructor. */
  static #building: ClientState | undefined;

  /**
   * @param options - {@link OnceHubClientOptions}.
   * @throws {@link InsecureTransportError} for a base URL that is not `https:`.
   * @throws {@link ConfigError} for any other bad option; {@link InvalidTenantError} for a bad `tenant`.
   */
  constructor(options: OnceHubClientOptions) {
    const built = OnceHubClient.#building ?? { ...createClientTree(options, undefined), isRoot: true };
    OnceHubClient.#building = undefined;
    this.#tree = built.tree;
    this.tenant = built.tenant;
    this.#isRoot = built.isRoot;
    this.baseUrl = this.#tree.baseUrl;
    const request = <T>(method: string, path: string, options?: RequestOptions): Promise<T> =>
      this.request<T>(method, path, options);
    this.bookings = bookingsResource(request);
    this.webhooks = webhooksResource(request);
  }

  /** The one way to build a client from state rather than from a user's options: `forTenant`, `fromEnvironment`. */
  static #create(state: ClientState): OnceHubClient {
    OnceHubClient.#building = state;
    return new OnceHubClient(undefined as unknown as OnceHubClientOptions);
  }

  /**
   * The provider this client's keys come from (shared with its `forTenant` children): what `OnceHubClient.fromEnvironment`
   * built, or the `keys` option. For a DI container or a health check that needs the provider itself.
   *
   * @example
   * ```ts
   * const client = OnceHubClient.fromEnvironment({ sources: [envSource] });
   * container.bind(KEY_PROVIDER).toConstantValue(client.keys);
   * ```
   */
  get keys(): KeyProvider {
    return this.#tree.config.keys;
  }

  /**
   * Builds a client from the environment: `loadConfig(env)` for the base URL and CA, `keyProviderFromConfig(config,
   * sources)` for the key. A bad configuration is a `ConfigError` here, naming the variable. The client owns
   * the provider: `close()` closes it.
   *
   * @param options - {@link FromEnvironmentOptions}.
   * @example
   * ```ts
   * // ONCEKEY_SOURCE=file,env ONCEKEY_FILE_PATH=/run/secrets/oncehub
   * const client = OnceHubClient.fromEnvironment({ sources: [envSource, fileSource] });
   * ```
   */
  static fromEnvironment(options: FromEnvironmentOptions): OnceHubClient {
    if (typeof options !== "object" || options === null) {
      throw new ConfigError(
        "OnceHubClient.fromEnvironment needs its options, with the key sources the app registers: " +
          "fromEnvironment({ sources: [envSource, fileSource] }).",
        { variable: "options" },
      );
    }
    const { sources, pacingSources = [], env = process.env, ...clientOptions } = options;
    if (sources === undefined) {
      throw new ConfigError(
        "OnceHubClient.fromEnvironment needs `sources`, the key sources the app registers, e.g. " +
          "{ sources: [envSource, fileSource] } from @oncekey/env and @oncekey/file.",
        { variable: "sources" },
      );
    }
    checkSources(sources, "OnceHubClient.fromEnvironment");
    const loaded = loadConfig(env, { sources, pacingSources });
    // The store first: a key source that reads a rate-limited service (Key Vault) paces its reads in it too.
    const store = pacingStoreFromConfig(loaded, pacingSources, clientOptions.pacing);
    const config = store === undefined ? loaded : { ...loaded, pacing: store };
    let keys;
    try {
      keys = keyProviderFromConfig(config, sources);
    } catch (error) {
      void Promise.resolve(store?.close?.()).catch(() => undefined);
      throw error;
    }
    const full: OnceHubClientOptions = {
      ...clientOptions,
      keys,
      baseUrl: config.baseUrl,
      ...(config.ca === undefined ? {} : { ca: config.ca }),
      ...(store === undefined ? {} : { pacing: { ...clientOptions.pacing, store } }),
    };
    try {
      // The configuration already says where OnceHub is: nothing more is read from process.env.
      return OnceHubClient.#create({ ...createClientTree(full, keys, NO_VARIABLES, store), isRoot: true });
    } catch (error) {
      // A bad client option fails the build: the provider and the store built for it would never be closed.
      void Promise.resolve(keys.close?.()).catch(() => undefined);
      void Promise.resolve(store?.close?.()).catch(() => undefined);
      throw error;
    }
  }

  /**
   * A client for `tenant`'s key that shares this client's connections, pacing, usage counters and listener.
   * Closing it does not close the pool.
   *
   * @param tenant - The tenant id; checked at once.
   * @throws {@link InvalidTenantError} for an invalid id.
   * @example
   * ```ts
   * const acme = client.forTenant("acme");
   * await acme.bookings.get("BKNG-J4FR05BKEWEX");
   * ```
   */
  forTenant(tenant: string): OnceHubClient {
    return OnceHubClient.#create({ tree: this.#tree, tenant: validateTenant(tenant), isRoot: false });
  }

  /**
   * Calls OnceHub: `method` on `path` relative to the base URL (e.g. `/bookings`), and returns the parsed JSON
   * body of the answer (`undefined` for an empty one).
   *
   * @param method - `GET`, `POST`, `DELETE` …
   * @param path - Relative to the base URL; an absolute URL, `//host` or `..` is an `InsecureTransportError`.
   * @param options - {@link RequestOptions}: `query`, `body` (sent as JSON), `signal`, `headers`.
   * @throws `AuthenticationError`, `InvalidRequestError`, `RateLimitError`, `ApiError` for OnceHub's errors;
   *   `NetworkError`, `TimeoutError` for the connection; the signal's reason when aborted.
   * @example
   * ```ts
   * const calendars = await client.request<{ data: unknown[] }>("GET", "/booking-calendars", { query: { limit: 5 } });
   * ```
   */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T> {
    const tree = this.#tree;
    try {
      if (this.#closed || tree.closed) {
        // The call is not checked yet: its method and path are not repeated (either may be anything).
        throw new NetworkError(
          "The request was not sent: the OnceHubClient is closed. Create a new client.",
          {
            transient: false,
          },
        );
      }
      const verb = httpMethod(method);
      const signal = callSignal(options?.signal);
      const target = requestTarget(tree.basePath, path, options?.query);
      const startedAt = performance.now();
      const id = nextCallId();
      const tenant = this.tenant;
      const call: TransportCall = {
        id,
        method: verb,
        target,
        body: jsonBody(options?.body),
        tenant,
        keyRequest: keyRequestOf(tenant, signal, id),
        signal,
        headers: extraHeaders(options?.headers),
        startedAt,
        deadlineAt: startedAt + tree.config.totalTimeoutMs,
      };
      if (!isCallTraced()) return sendRequest(tree.config, call) as Promise<T>;
      // The caller's own path (no key was sent yet), without the query.
      const own = pathOf(target);
      const origin = tree.config.origin;
      const trace: CallTrace =
        tenant === undefined
          ? { id, method: verb, path: own, origin }
          : { id, method: verb, path: own, tenant, origin };
      return traceCall(trace, sendRequest, tree.config, call) as Promise<T>;
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * Checks the key with `GET /test` and returns the account it belongs to.
   *
   * @example
   * ```ts
   * const { account } = await client.test(); // "admin@example.com"
   * ```
   */
  async test(options: CallOptions = {}): Promise<TestResult> {
    const answer = await this.request<{ message?: unknown }>("GET", "/test", options);
    const message = typeof answer?.message === "string" ? answer.message : "";
    const mark = message.lastIndexOf(": ");
    return { account: mark === -1 ? message : message.slice(mark + 2).trim(), message };
  }

  /**
   * What each key did through this client and its `forTenant` children: requests, failures, 401s, 429s and
   * when it was last used, most recent first. Keys appear by fingerprint only.
   *
   * @example
   * ```ts
   * for (const key of client.usage()) metrics.gauge("oncehub.requests", key.requests, { key: key.fingerprint });
   * ```
   */
  usage(): KeyUsage[] {
    return this.#tree.config.usage.snapshot();
  }

  /**
   * Stops this client. A `forTenant` child only stops itself; the client it came from closes the shared pool
   * (once the requests in flight finish, and once no other client of the process uses it) and, if it built it
   * (`fromEnvironment`), the key provider. Calls of the tree still waiting (for pacing, a retry or a new key)
   * and later calls fail with a `NetworkError`. Safe to call twice.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#isRoot) return;
    const tree = this.#tree;
    tree.closed = true;
    tree.unsubscribe?.();
    tree.config.waits.close();
    tree.config.pacing?.close();
    try {
      await tree.releasePool();
    } finally {
      await Promise.all([tree.ownedKeys?.close?.(), tree.ownedStore?.close?.()]);
    }
  }
}

/** What a call asks its key provider: its tenant, its signal and its id, each only when there is one. */
function keyRequestOf(
  tenant: string | undefined,
  signal: AbortSignal | undefined,
  callId: number,
): KeyRequest {
  if (tenant === undefined) return signal === undefined ? { callId } : { signal, callId };
  return signal === undefined ? { tenant, callId } : { tenant, signal, callId };
}
