import type { FakeKeyVaultOperation } from "../state/vault-operation.js";

/** What a request asks of the vault. */
export interface VaultRoute {
  readonly operation: FakeKeyVaultOperation;
  /** The secret name from the path, or `null` when the path names none. */
  readonly secret: string | null;
  /** The version from the path, or `null` for the latest version and for listings. */
  readonly version: string | null;
  /** Whether the path is one of the vault's (`/secrets/…`), whatever the method: else 404, not 405. */
  readonly known: boolean;
}

const UNKNOWN: VaultRoute = { operation: "unknown", secret: null, version: null, known: false };

/**
 * Maps a request to the operation the `SecretClient` method of that name sends: `GET /secrets/{name}` (with or
 * without a trailing slash) and `GET /secrets/{name}/{version}` are `getSecret`, `GET /secrets/{name}/versions`
 * is `getSecretVersions`, `PUT /secrets/{name}` is `setSecret`. Another method on a secret's path is `unknown`
 * but keeps the name, for the call log and fault matching.
 *
 * @param method - the request's method
 * @param pathname - the URL's path, still percent-encoded
 * @example
 * ```ts
 * vaultRoute("PUT", "/secrets/oncehub-api-key"); // { operation: "setSecret", secret: "oncehub-api-key", … }
 * ```
 */
export function vaultRoute(method: string, pathname: string): VaultRoute {
  let segments: string[];
  try {
    segments = pathname.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    return UNKNOWN;
  }
  const [empty, collection, secret, version, ...rest] = segments;
  if (empty !== "" || collection !== "secrets" || !secret || rest.length > 0) return UNKNOWN;
  const listing = version === "versions";
  const pinned = listing || !version ? null : version;
  if (method === "GET") {
    return listing
      ? { operation: "getSecretVersions", secret, version: null, known: true }
      : { operation: "getSecret", secret, version: pinned, known: true };
  }
  if (method === "PUT" && !listing && pinned === null)
    return { operation: "setSecret", secret, version: null, known: true };
  return { operation: "unknown", secret, version: pinned, known: true };
}
