import { ConfigError, InvalidTenantError } from "@oncekey/core";
import { describeConfigValue, quotableConfigValue } from "@oncekey/core/source";

/** Key Vault's rule for a secret name: 1-127 letters, digits and dashes. */
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const MAX_NAME_LENGTH = 127;
const PLACEHOLDER = "{tenant}";
/** Names remembered to catch a mapping function that sends two tenants to one secret; past it the oldest go. */
const MAX_REMEMBERED_NAMES = 100_000;

/** Turns a tenant id into the secret name that holds its key. */
export type SecretNamer = (tenant: string | undefined) => string;

/**
 * Builds the tenant → secret name mapping for a `secretName` that may hold `{tenant}`.
 *
 * Key Vault names allow only `[0-9a-zA-Z-]`, at most 127 characters, and compare case-insensitively. Without a
 * `tenantToSecretName` function the tenant id is used as is, so an id with `_`, with upper-case letters (`Acme`
 * and `acme` would share one secret) or too long for the name is an {@link InvalidTenantError} before any call.
 * A mapping function's output is checked the same way, and two tenant ids that map to one name (ignoring case)
 * are refused, so no tenant can ever read another's key.
 *
 * @throws {@link ConfigError} when the template itself cannot form a Key Vault name.
 */
export function createSecretNamer(
  template: string,
  tenantToSecretName: ((tenant: string) => string) | undefined,
): SecretNamer {
  const parts = template.split(PLACEHOLDER);
  const fixed = parts.join("");
  // Repeated only when it is a short, valid name: a key pasted here must not reach a log.
  const quoted = SECRET_NAME.test(fixed) && quotableConfigValue(template, "name") !== undefined;
  const named = quoted ? `secretName "${template}"` : `secretName (${describeConfigValue(template, "name")})`;
  if (parts.length > 2) {
    throw new ConfigError(`${named} holds {tenant} more than once; use it at most once.`, {
      variable: "secretName",
    });
  }
  const perTenant = parts.length === 2;
  if ((fixed !== "" || !perTenant) && !SECRET_NAME.test(fixed)) {
    throw new ConfigError(
      `${named} is not a Key Vault secret name: use 1-127 letters, digits and "-" ` +
        `(plus one "{tenant}" for one secret per tenant).`,
      { variable: "secretName" },
    );
  }
  if (perTenant && fixed.length >= MAX_NAME_LENGTH) {
    throw new ConfigError(`${named} leaves no room for a tenant within 127 characters.`, {
      variable: "secretName",
    });
  }
  if (!perTenant) return () => template;

  const [prefix = "", suffix = ""] = parts;
  const claimedBy = new Map<string, string>();
  const refuse = (tenant: string, why: string, fix: string): never => {
    throw new InvalidTenantError(`Tenant id "${tenant}" cannot name a Key Vault secret: ${why}. ${fix}`, {
      tenant: tenant.slice(0, 64),
    });
  };
  const passMapping = "Pass a one-to-one `tenantToSecretName` function to map such ids.";

  return (tenant) => {
    if (tenant === undefined) throw new TypeError("unreachable: a per-tenant name needs a tenant");
    let fragment = tenant;
    if (tenantToSecretName === undefined) {
      if (tenant.includes("_"))
        refuse(tenant, 'Key Vault names allow only letters, digits and "-"', passMapping);
      if (tenant !== tenant.toLowerCase()) {
        refuse(tenant, "Key Vault names ignore case, so upper-case ids could share a secret", passMapping);
      }
    } else {
      fragment = tenantToSecretName(tenant);
      if (typeof fragment !== "string") refuse(tenant, "tenantToSecretName did not return a string", "");
    }
    const name = `${prefix}${fragment}${suffix}`;
    if (!SECRET_NAME.test(name)) {
      const why =
        name.length > MAX_NAME_LENGTH
          ? `${quoted ? `"${template}"` : "secretName"} with it is ${name.length} characters, more than Key Vault's 127`
          : `${quoted ? `"${name.slice(0, 64)}"` : "the name"} holds characters other than letters, digits and "-"`;
      refuse(tenant, why, tenantToSecretName === undefined ? passMapping : "Fix tenantToSecretName.");
    }
    // The default mapping is one-to-one by the checks above; only a user's function needs watching.
    if (tenantToSecretName === undefined) return name;
    const key = name.toLowerCase();
    const owner = claimedBy.get(key);
    if (owner !== undefined && owner !== tenant) {
      refuse(
        tenant,
        `tenant "${owner}" already maps to ${quoted ? `secret "${name}"` : "the same secret"}`,
        "Make tenantToSecretName one-to-one.",
      );
    }
    if (owner === undefined) {
      if (claimedBy.size >= MAX_REMEMBERED_NAMES) claimedBy.delete(claimedBy.keys().next().value as string);
      claimedBy.set(key, tenant);
    }
    return name;
  };
}
