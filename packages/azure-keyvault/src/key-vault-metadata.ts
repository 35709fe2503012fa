import type { ApiKey } from "@oncekey/core";

/**
 * What Key Vault said about the secret version a key was read from.
 *
 * @example
 * ```ts
 * const metadata: KeyVaultSecretMetadata | undefined = keyVaultMetadata(await keys.getKey());
 * if (metadata?.expiresOn !== undefined) console.log(`${metadata.secretName} expires on ${metadata.expiresOn.toISOString()}`);
 * ```
 */
export interface KeyVaultSecretMetadata {
  /** The vault URL, e.g. `https://my-vault.vault.azure.net`. */
  readonly vaultUrl: string;
  /** The secret name. */
  readonly secretName: string;
  /** The version read (32 hex digits). */
  readonly version: string | undefined;
  /** When the version was created: how old the key is, for a warning on old keys. */
  readonly createdOn: Date | undefined;
  /** When the version was last updated. */
  readonly updatedOn: Date | undefined;
  /** The version's expiry (`exp`), if set. */
  readonly expiresOn: Date | undefined;
  /** The version's activation date (`nbf`), if set. */
  readonly notBefore: Date | undefined;
  /** The secret's content type, if set. */
  readonly contentType: string | undefined;
  /** The version's tags. */
  readonly tags: Readonly<Record<string, string>>;
}

// Shared through the global symbol registry so the ESM and CommonJS builds, loaded side by side, agree.
const REGISTRY = Symbol.for("oncekey.azure-keyvault.metadata");

function registry(): WeakMap<ApiKey, KeyVaultSecretMetadata> {
  const holder = globalThis as { [REGISTRY]?: WeakMap<ApiKey, KeyVaultSecretMetadata> };
  return (holder[REGISTRY] ??= new WeakMap());
}

/** Remembers where `key` was read from; kept only as long as the key itself. */
export function recordKeyVaultMetadata(key: ApiKey, metadata: KeyVaultSecretMetadata): void {
  registry().set(key, Object.freeze(metadata));
}

/**
 * Returns the Key Vault facts (version, created and updated times, expiry) of a key read by
 * `fromAzureKeyVault`, or `undefined` for a key from any other source.
 *
 * It works on any key a provider returned, also through `chain` and `cached`, so a health check can warn on
 * old keys without knowing which source served them.
 *
 * @param key - A key returned by a provider.
 * @example
 * ```ts
 * const key = await keys.getKey();
 * const created = keyVaultMetadata(key)?.createdOn;
 * if (created && Date.now() - created.getTime() > 365 * 86_400_000) console.warn(`${key} is over a year old`);
 * ```
 */
export function keyVaultMetadata(key: ApiKey): KeyVaultSecretMetadata | undefined {
  return registry().get(key);
}
