import { describeTenant, TenantTemplate, type ConfiguredValue } from "@oncekey/core/source";

/** Key Vault's rule for a secret name: 1-127 letters, digits and dashes. */
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const MAX_NAME_LENGTH = 127;
const PLACEHOLDER = "{tenant}";

/**
 * Maps a tenant id to the text that replaces `{tenant}` in `secretName`; it must be one-to-one.
 * @inline
 */
export type TenantToSecretName = (tenant: string) => string;

/**
 * Checks a `secretName` (with at most one `{tenant}`, after a fixed prefix) and builds the tenant → secret name
 * mapping over it: core's `TenantTemplate` with Key Vault's rules.
 *
 * Key Vault names allow only `[0-9a-zA-Z-]`, at most 127 characters, and compare case-insensitively. Without a
 * `tenantToSecretName` function the tenant id is used as is, so an id with `_`, with upper-case letters (`Acme`
 * and `acme` would share one secret) or too long for the name is an `InvalidTenantError` before any call. A
 * mapping function's output is checked the same way, and two tenant ids that map to one name (ignoring case) are
 * refused, so no tenant can ever read another's key. The fixed prefix keeps tenant ids to the secrets under it: a
 * bare `{tenant}` would let a tenant id equal to another secret's name read that secret.
 *
 * @param secretName - The `secretName` option or `ONCEKEY_KEYVAULT_SECRET`.
 * @param map - `tenantToSecretName`, if given.
 * @param host - The vault's host, for sources: `azure-keyvault:<host>/<name>`.
 * @throws `ConfigError` naming the setting when the name cannot form Key Vault names.
 */
export function secretNameTemplate(
  secretName: ConfiguredValue,
  map: TenantToSecretName | undefined,
  host: string,
): TenantTemplate {
  const parts = secretName.value.split(PLACEHOLDER);
  const [prefix = "", suffix = ""] = parts;
  const template = new TenantTemplate(
    secretName,
    {
      noun: "secret",
      sourceOf: (shown) => `azure-keyvault:${host}/${shown}`,
      defaultSegment: (tenant) => tenant,
      refuseTenant: (tenant) =>
        tenant.includes("_")
          ? `Tenant id ${describeTenant(tenant)} cannot name a Key Vault secret: Key Vault names allow only letters, digits and "-".`
          : tenant !== tenant.toLowerCase()
            ? `Tenant id ${describeTenant(tenant)} cannot name a Key Vault secret: Key Vault names ignore case, so upper-case ids ` +
              "could share a secret."
            : undefined,
      checkName: (name) =>
        name.length > MAX_NAME_LENGTH
          ? `${secretName.quoted ? `"${secretName.value}"` : "secretName"} with it is ${name.length} characters, more than Key Vault's ${MAX_NAME_LENGTH}`
          : SECRET_NAME.test(name)
            ? undefined
            : 'the name would hold characters other than letters, digits and "-"',
      // Key Vault compares names without case: "oncehub-Acme" and "oncehub-acme" are one secret.
      claimKey: (name) => name.toLowerCase(),
      mappingOption: "tenantToSecretName",
      example: "oncehub-{tenant}",
    },
    {
      map:
        map === undefined
          ? undefined
          : (tenant) => {
              const segment: unknown = map(tenant);
              return typeof segment === "string" ? `${prefix}${segment}${suffix}` : segment;
            },
    },
  );
  const fixed = parts.join("");
  if (!SECRET_NAME.test(fixed)) {
    throw secretName.error(
      'is not a Key Vault secret name: use 1-127 letters, digits and "-" (plus one "{tenant}" after a fixed ' +
        "prefix for one secret per tenant).",
    );
  }
  if (template.perTenant && fixed.length >= MAX_NAME_LENGTH) {
    throw secretName.error(`leaves no room for a tenant within ${MAX_NAME_LENGTH} characters.`);
  }
  return template;
}
