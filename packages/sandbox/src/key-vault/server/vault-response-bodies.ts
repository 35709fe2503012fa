import type { StoredSecret, StoredVersion } from "../state/secret-store.js";

/** A response the fake vault sends: status, JSON body, extra headers. */
export interface VaultAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  /** The version a `setSecret` wrote, for the call log. */
  readonly written?: string;
}

/** Key Vault's error envelope: `{ error: { code, message, innererror? } }`. */
export interface VaultErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly innererror?: { readonly code: string };
  };
}

/** Builds Key Vault's error envelope. */
export function vaultError(code: string, message: string, innerCode?: string): VaultErrorBody {
  return { error: { code, message, ...(innerCode ? { innererror: { code: innerCode } } : {}) } };
}

/** The attributes object, times in unix seconds, as the service serialises it. */
function attributes(version: StoredVersion): Record<string, unknown> {
  return {
    enabled: version.enabled,
    ...(version.nbf !== undefined ? { nbf: version.nbf } : {}),
    ...(version.exp !== undefined ? { exp: version.exp } : {}),
    created: version.created,
    updated: version.updated,
    recoveryLevel: "Recoverable+Purgeable",
    recoverableDays: 90,
  };
}

/** A `SecretBundle` (with the value) or a `SecretItem` (without it, for version listings). */
export function secretBody(
  vaultUrl: string,
  secret: StoredSecret,
  version: StoredVersion,
  withValue: boolean,
): Record<string, unknown> {
  return {
    ...(withValue ? { value: version.value } : {}),
    ...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
    id: `${vaultUrl}/secrets/${secret.name}/${version.version}`,
    attributes: attributes(version),
    ...(version.tags ? { tags: version.tags } : {}),
  };
}
