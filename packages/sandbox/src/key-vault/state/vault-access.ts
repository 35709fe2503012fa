import { optionsObject } from "../../options/check-option-names.js";

/**
 * A secret permission of Key Vault's access policies that the fake vault checks: `get` reads a secret, `list`
 * lists its versions, `set` writes a new version.
 */
export type FakeKeyVaultPermission = "get" | "list" | "set";

/** What one bearer token may do. */
export interface FakeKeyVaultTokenGrant {
  /**
   * Secret permissions the token holds; a missing one answers 403 `Forbidden` (`AccessDenied`), so
   * `["get", "list"]` is a reader that cannot write.
   * @defaultValue `["get", "list", "set"]`
   */
  readonly permissions?: readonly FakeKeyVaultPermission[];
  /**
   * The caller as Key Vault names it in a 403 message.
   * @defaultValue `"appid=<index of the token>;iss=https://sts.windows.net/<tenantId>/"`
   */
  readonly identity?: string;
}

/** The outcome of checking a request's `Authorization` header. */
export type AccessDecision =
  | { readonly kind: "missing" }
  | { readonly kind: "rejected" }
  | {
      readonly kind: "granted";
      readonly permissions: readonly FakeKeyVaultPermission[];
      readonly identity: string;
    };

const ALL: readonly FakeKeyVaultPermission[] = ["get", "list", "set"];

/** Checks one token's grant; messages number the token (the first is 1), never quote it. */
function checkGrant(grant: FakeKeyVaultTokenGrant, index: number): void {
  const where = `startFakeKeyVault: tokens (the grant of token ${index + 1})`;
  optionsObject(where, grant, ["permissions", "identity"]);
  const { permissions, identity } = grant;
  if (
    permissions !== undefined &&
    !(Array.isArray(permissions) && permissions.every((permission) => ALL.includes(permission)))
  )
    throw new TypeError(`${where}: permissions must be a list of ${ALL.join(", ")}.`);
  if (identity !== undefined && (typeof identity !== "string" || identity === ""))
    throw new TypeError(`${where}: identity must be a non-empty string.`);
}

/**
 * Decides what a bearer token may do: with no `tokens` map every token holds every permission, else only the
 * listed tokens are accepted, each with its own grant.
 *
 * @param tokens - the accepted tokens and their grants, or `undefined` to accept any token
 * @param tenantId - the directory tenant, for the default identities
 * @throws TypeError for a grant with an unknown field, permission or an empty identity
 * @example
 * ```ts
 * const authorize = createAccessPolicy({ "token-a": { permissions: ["get"] } }, tenantId);
 * authorize("Bearer token-a"); // { kind: "granted", permissions: ["get"], identity: "appid=…" }
 * ```
 */
export function createAccessPolicy(
  tokens: Readonly<Record<string, FakeKeyVaultTokenGrant>> | undefined,
  tenantId: string,
): (authorization: string | undefined) => AccessDecision {
  const grants = new Map<string, { permissions: readonly FakeKeyVaultPermission[]; identity: string }>();
  Object.entries(tokens ?? {}).forEach(([token, grant], index) => {
    checkGrant(grant, index);
    grants.set(token, {
      permissions: [...(grant.permissions ?? ALL)],
      identity: grant.identity ?? `appid=fake-client-${index};iss=https://sts.windows.net/${tenantId}/`,
    });
  });
  const anyToken = {
    permissions: ALL,
    identity: `appid=fake-client;iss=https://sts.windows.net/${tenantId}/`,
  };
  return (authorization) => {
    const match = /^Bearer +(\S+)$/i.exec(authorization?.trim() ?? "");
    if (!match?.[1]) return { kind: "missing" };
    const grant = tokens === undefined ? anyToken : grants.get(match[1]);
    return grant ? { kind: "granted", ...grant } : { kind: "rejected" };
  };
}
