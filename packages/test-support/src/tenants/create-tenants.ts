import { join } from "node:path";
import { keyFingerprint, type Sandbox } from "@oncekey/sandbox";
import { writeKeyFile } from "./key-directory.js";

/** A tenant with its own sandbox account, whose key lives in `<dir>/<id>`. */
export interface Tenant {
  readonly id: string;
  readonly accountId: string;
  readonly email: string;
  /** The current key: {@link regenerateKey} changes it. */
  key: string;
  /** The sandbox's fingerprint of `key`, as its request log shows it. */
  fingerprint: string;
}

/**
 * Creates one sandbox account per id (`<id>@example.com`) and writes its key to `<dir>/<id>`, for a client whose
 * keys are `fromFile({ path: join(dir, "{tenant}") })`.
 *
 * @param sandbox - A running sandbox.
 * @param dir - The key files' directory.
 * @param ids - The tenants' ids, which name their files.
 * @example
 * ```ts
 * const [a, b] = await createTenants(sandbox(), dir.path, ["tenant-a", "tenant-b"]);
 * ```
 */
export async function createTenants(
  sandbox: Sandbox,
  dir: string,
  ids: readonly string[],
): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  for (const id of ids) {
    const account = sandbox.accounts.create(`${id}@example.com`);
    await writeKeyFile(join(dir, id), account.key);
    tenants.push({
      id,
      accountId: account.id,
      email: account.email,
      key: account.key,
      fingerprint: keyFingerprint(account.key),
    });
  }
  return tenants;
}

/**
 * Rotates a tenant's key the way OnceHub does: the sandbox regenerates it (the old one is refused from now on) and
 * `tenant` takes the new key. The key file is not rewritten: the caller does that when its test wants it.
 *
 * @param sandbox - The sandbox that holds the tenant's account.
 * @param tenant - The tenant, updated in place.
 * @example
 * ```ts
 * const { fresh } = regenerateKey(sandbox(), a);
 * await writeKeyFile(join(dir.path, a.id), fresh);
 * ```
 */
export function regenerateKey(
  sandbox: Sandbox,
  tenant: Tenant,
): { readonly old: string; readonly fresh: string } {
  const old = tenant.key;
  const fresh = sandbox.keys.regenerate(old);
  tenant.key = fresh;
  tenant.fingerprint = keyFingerprint(fresh);
  return { old, fresh };
}
