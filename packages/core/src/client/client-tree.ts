import { DEFAULT_BASE_URL } from "../config/parse-base-url.js";
import type { KeyProvider } from "../providers/key-provider.js";
import type { PacingStore } from "../transport/pacing/pacing-store.js";
import { validateTenant } from "../tenant/validate-tenant.js";
import { UsageTracker } from "../transport/key-usage.js";
import { PendingWaits } from "../transport/pending-waits.js";
import { leaseSharedPool, type SharedPool } from "../transport/shared-pool.js";
import type { TransportConfig } from "../transport/transport-config.js";
import type { OnceHubClientOptions } from "./once-hub-client-options.js";
import { resolveClientOptions } from "./resolve-client-options.js";

/** What a client and all its `forTenant` children share. */
export interface ClientTree {
  readonly config: TransportConfig;
  readonly basePath: string;
  readonly baseUrl: string;
  /** Gives back the connection pool, if a request ever leased it. */
  releasePool(): Promise<void>;
  /** The provider, when the client built it (`fromEnvironment`) and so must close it. */
  readonly ownedKeys: KeyProvider | undefined;
  /** Ends the subscription that hands the provider's events to the client's `onEvent`. */
  readonly unsubscribe: (() => void) | undefined;
  /** The pacing store, when the client built it (`fromEnvironment`) and so must close it. */
  readonly ownedStore: PacingStore | undefined;
  closed: boolean;
}

/**
 * Checks every option and returns the state a root client shares with its children, with its tenant. The
 * connection pool is leased by the first request, so a client that is built (to check its options, or by a DI
 * container) and never used holds nothing.
 *
 * @param options - The root client's options.
 * @param ownedKeys - The provider the client must close, when it built it.
 * @param env - Where `baseUrl` and `ca` default from (see `resolveClientOptions`).
 * @param ownedStore - The pacing store the client must close, when it built it.
 */
export function createClientTree(
  options: OnceHubClientOptions,
  ownedKeys: KeyProvider | undefined,
  env?: Readonly<Record<string, unknown>>,
  ownedStore?: PacingStore,
): { readonly tree: ClientTree; readonly tenant: string | undefined } {
  const resolved = resolveClientOptions(options, env);
  const tenant = options.tenant === undefined ? undefined : validateTenant(options.tenant);
  let lease: SharedPool | undefined;
  const poolOptions = {
    origin: resolved.origin,
    ca: resolved.ca,
    connectTimeoutMs: resolved.connectTimeoutMs,
    connections: resolved.connections,
  };
  const tree: ClientTree = {
    config: {
      get dispatcher() {
        lease ??= leaseSharedPool(poolOptions);
        return lease.pool;
      },
      origin: resolved.origin,
      keys: options.keys,
      pacing: resolved.pacing,
      retry: resolved.retry,
      rotation: resolved.rotation,
      headersTimeoutMs: resolved.headersTimeoutMs,
      bodyTimeoutMs: resolved.bodyTimeoutMs,
      totalTimeoutMs: resolved.totalTimeoutMs,
      onEvent: options.onEvent,
      usage: new UsageTracker(),
      waits: new PendingWaits(),
      versionHint: versionHint(resolved.basePath),
    },
    basePath: resolved.basePath,
    baseUrl: resolved.baseUrl,
    releasePool: () => lease?.release() ?? Promise.resolve(),
    ownedKeys,
    // The provider's events (key loads, rotations, warnings) reach the client's listener too.
    unsubscribe: options.onEvent === undefined ? undefined : options.keys.subscribe?.(options.onEvent),
    ownedStore,
    closed: false,
  };
  return { tree, tenant };
}

/** OnceHub's API paths start with a version (`/v2`); a base URL without one answers 404 to every call. */
function versionHint(basePath: string): string | undefined {
  if (/\/v\d+$/.test(basePath)) return undefined;
  return (
    `The base URL's path (${basePath === "" ? "empty" : basePath}) names no API version: OnceHub's API base ` +
    `is ${DEFAULT_BASE_URL}, with /v2.`
  );
}
