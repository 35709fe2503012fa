import type { KeyVaultSecret } from "@azure/keyvault-secrets";
import { ApiKey, KeySourceError, type KeyProvider, type KeyRequest, type PacingStore } from "@oncekey/core";
import { type TenantTemplate, waitForBudget, windowLimit } from "@oncekey/core/source";
import { LRUCache } from "lru-cache";
import { recordKeyVaultMetadata } from "../key-vault-metadata.js";
import { limitConcurrency } from "./limit-concurrency.js";
import type { LoadedClient } from "./load-secret-client.js";
import { mapKeyVaultError, type ReadContext } from "./map-key-vault-error.js";
import { createRefreshAhead, type WatchedSecret } from "./refresh-ahead.js";
import { retryThrottled, type ThrottleRetryOptions } from "./retry-throttled.js";

/** Everything the reader needs, validated and defaulted by `fromAzureKeyVault`. */
export interface KeyVaultReaderOptions {
  readonly vaultUrl: string;
  /** The secret name (or one per tenant), and how sources and messages show it. */
  readonly names: TenantTemplate;
  readonly version: string | undefined;
  readonly loadClient: () => Promise<LoadedClient>;
  readonly timeoutMs: number;
  readonly throttleRetry: Required<ThrottleRetryOptions> | false;
  readonly maxConcurrentReads: number;
  readonly maxWatched: number;
  readonly refreshAheadMs: number | undefined;
  readonly enforceValidity: boolean;
  readonly now: () => number;
  /** Where the vault's read budget is kept; `false` for none. */
  readonly pacing: PacingStore | false | undefined;
}

/** Key Vault's limit on secret reads: 4,000 per 10 seconds per vault. */
const VAULT_READS = windowLimit(4_000, 10_000);

/**
 * The uncached Key Vault provider: one `getSecret` per `getKey`, errors mapped, validity checked, metadata
 * recorded. `fromAzureKeyVault` wraps it in `cached`.
 */
export function createKeyVaultReader(options: KeyVaultReaderOptions): KeyProvider {
  const { names } = options;
  const limit = limitConcurrency(options.maxConcurrentReads);
  const budget = { name: `vault:${new URL(options.vaultUrl).host}`, limit: VAULT_READS };

  /** One read of the vault within its budget, shared by every process that keeps it in the same store. */
  const withinBudget = async <T>(read: () => Promise<T>, signal: AbortSignal): Promise<T> => {
    if (options.pacing === false) return read();
    const slot = await waitForBudget(budget, {
      ...(options.pacing === undefined ? {} : { store: options.pacing }),
      signal,
    });
    slot.started();
    let sent = false;
    try {
      const pending = read();
      sent = true;
      return await pending;
    } finally {
      slot.finished(sent);
    }
  };
  /** The secrets refresh-ahead follows, by tenant; the least recently read forgotten past the cache's bound. */
  const watched = new LRUCache<string, WatchedSecret>({ max: options.maxWatched });
  let client: Promise<LoadedClient> | undefined;
  let firstRead: Promise<unknown> | undefined;

  const loadClient = (source: string): Promise<LoadedClient> => {
    client ??= options.loadClient().catch((error: unknown) => {
      client = undefined;
      throw new KeySourceError(
        `Could not set up the Key Vault client for ${options.vaultUrl}: ${String(error)}`,
        {
          source,
          cause: error,
        },
      );
    });
    return client;
  };

  const fetchSecret = async (secretName: string, loaded: LoadedClient, context: ReadContext) => {
    // The time limit starts when the read gets a slot: waiting behind other tenants' reads is not the vault's fault.
    let signal: AbortSignal | undefined;
    const attempt = () =>
      limit(() => {
        const timeout = (signal ??= AbortSignal.timeout(options.timeoutMs));
        return withinBudget(
          () =>
            loaded.client.getSecret(secretName, {
              ...(options.version === undefined ? {} : { version: options.version }),
              abortSignal: timeout,
            }),
          timeout,
        );
      });
    try {
      return await retryThrottled(attempt, options.throttleRetry, () => signal);
    } catch (error) {
      throw mapKeyVaultError(error, context);
    }
  };

  // The SDK's first request goes without a token to learn the challenge; until it completes, every request
  // would do the same. Letting the first read finish alone saves a 401 round trip per tenant on a cold start.
  const read = async (
    secretName: string,
    loaded: LoadedClient,
    context: ReadContext,
  ): Promise<KeyVaultSecret> => {
    if (firstRead === undefined) {
      const pending = fetchSecret(secretName, loaded, context);
      firstRead = pending.catch(() => undefined);
      return pending;
    }
    await firstRead;
    return fetchSecret(secretName, loaded, context);
  };

  const checkValidity = (secret: KeyVaultSecret, context: ReadContext): void => {
    if (!options.enforceValidity) return;
    const now = options.now();
    const { expiresOn, notBefore } = secret.properties;
    const what = `Secret "${context.secretName}" (${context.pinned ? "the pinned version" : "its latest version"}) in Key Vault ${options.vaultUrl}`;
    if (expiresOn !== undefined && expiresOn.getTime() <= now) {
      throw new KeySourceError(
        `${what} expired on ${expiresOn.toISOString()}. Write a new version with the current key, or move its ` +
          "expiry date.",
        { source: context.source },
      );
    }
    if (notBefore !== undefined && notBefore.getTime() > now) {
      throw new KeySourceError(
        `${what} is not valid before ${notBefore.toISOString()}. Wait, or move its activation date.`,
        { source: context.source },
      );
    }
  };

  const watch = (tenant: string | undefined, secretName: string, version: string | undefined): void => {
    watched.set(tenant ?? "", { tenant, secretName, version });
  };

  const refreshAhead =
    options.refreshAheadMs === undefined
      ? undefined
      : createRefreshAhead({
          intervalMs: options.refreshAheadMs,
          watched: () => [...watched.values()],
          latestVersion: async (secretName, signal) => {
            const loaded = await loadClient(names.sourceOf(secretName));
            const abortSignal = AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
            const secret = await limit(() =>
              withinBudget(() => loaded.client.getSecret(secretName, { abortSignal }), abortSignal),
            );
            return secret.properties.version;
          },
        });

  const provider: KeyProvider = {
    name: "azure-keyvault",
    getKey: (request?: KeyRequest): Promise<ApiKey> =>
      names.read(request?.tenant, async (secretName) => {
        const shown = names.shown(secretName);
        const source = names.sourceOf(secretName);
        const loaded = await loadClient(source);
        const context: ReadContext = {
          vaultUrl: options.vaultUrl,
          secretName: shown,
          hidden: [
            ...(shown === secretName ? [] : [[secretName, shown] as const]),
            ...(options.version === undefined ? [] : [[options.version, "<the pinned version>"] as const]),
          ],
          pinned: options.version !== undefined,
          source,
          credentialName: loaded.credentialName,
          timeoutMs: options.timeoutMs,
        };
        const secret = await read(secretName, loaded, context);
        checkValidity(secret, context);
        const key = ApiKey.from(secret.value as string, { source });
        const { properties } = secret;
        recordKeyVaultMetadata(key, {
          vaultUrl: options.vaultUrl,
          secretName,
          version: properties.version,
          createdOn: properties.createdOn,
          updatedOn: properties.updatedOn,
          expiresOn: properties.expiresOn,
          notBefore: properties.notBefore,
          contentType: properties.contentType,
          tags: { ...properties.tags },
        });
        if (refreshAhead !== undefined) watch(request?.tenant, secretName, properties.version);
        return key;
      }),
    async close(): Promise<void> {
      refreshAhead?.stop();
      watched.clear();
    },
  };
  if (refreshAhead !== undefined) provider.watch = refreshAhead.watch;
  return provider;
}
