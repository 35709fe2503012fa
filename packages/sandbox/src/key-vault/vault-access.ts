/** A secret permission of Key Vault's access policies that the fake vault checks. */
export type FakeKeyVaultPermission = "get" | "list";

/** What one bearer token may do. */
export interface FakeKeyVaultTokenGrant {
  /**
   * Secret permissions the token holds; a missing one answers 403 `Forbidden` (`AccessDenied`).
   * @defaultValue `["get", "list"]`
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

const ALL: readonly FakeKeyVaultPermission[] = ["get", "list"];

/**
 * Decides what a bearer token may do: with no `tokens` map every token holds every permission, else only the
 * listed tokens are accepted, each with its own grant.
 */
export function createAccessPolicy(
  tokens: Readonly<Record<string, FakeKeyVaultTokenGrant>> | undefined,
  tenantId: string,
): (authorization: string | undefined) => AccessDecision {
  const grants = new Map<string, { permissions: readonly FakeKeyVaultPermission[]; identity: string }>();
  Object.entries(tokens ?? {}).forEach(([token, grant], index) => {
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
