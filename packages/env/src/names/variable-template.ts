import {
  ConfiguredValue,
  describeOptionValue,
  describeTenant,
  TenantTemplate,
  type SettingOrigin,
} from "@oncekey/core/source";

/**
 * Maps a tenant id to the full name of the variable that holds its key, for tenant ids the default mapping
 * refuses (upper case, `_`). The name must keep the fixed prefix and suffix around `{tenant}` in `variable`, and
 * no two tenant ids may map to one name: once a tenant's read used a variable, another id that maps to it is an
 * `InvalidTenantError`.
 *
 * @example
 * ```ts
 * const keys = fromEnv({
 *   variable: "ONCEHUB_API_KEY_{tenant}",
 *   // "_" doubled first, so acme_eu and acme-eu stay apart
 *   tenantToVariable: (tenant) => `ONCEHUB_API_KEY_${tenant.toUpperCase().replaceAll("_", "__").replaceAll("-", "_")}`,
 * });
 * ```
 */
export type TenantToVariable = (tenant: string) => string;

/** The variable `fromEnv` and `fromDotenv` read when none is named. */
export const DEFAULT_VARIABLE = "ONCEHUB_API_KEY";

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The tenant ids the default mapping takes: one spelling per variable, so no two ids share a key. */
const CANONICAL_TENANT = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Checks a variable name (with at most one `{tenant}`, after a fixed prefix) and builds the tenant → variable
 * mapping over it.
 *
 * The default mapping (upper case, `-` to `_`) takes only tenant ids of lower-case letters, digits and `-`: upper
 * case and `_` would give `acme-eu`, `acme_eu` and `Acme-EU` one variable. A `tenantToVariable` maps the rest, and
 * is held to one tenant per variable.
 *
 * @param variable - The `variable` option or `ONCEKEY_ENV_VAR`.
 * @param map - `tenantToVariable`, if given.
 * @param sourceOf - Turns a variable name, as shown, into a `source` (`env:NAME`, `dotenv:.env#NAME`).
 * @throws `ConfigError` naming the setting when the name is not a usable variable name.
 */
export function variableTemplate(
  variable: ConfiguredValue,
  map: TenantToVariable | undefined,
  sourceOf: (shown: string) => string,
): TenantTemplate {
  if (variable.value === "") throw variable.error(`is empty; name a variable such as ${DEFAULT_VARIABLE}.`);
  const template = new TenantTemplate(
    variable,
    {
      noun: "variable",
      sourceOf,
      defaultSegment: segmentOf,
      refuseTenant: (tenant, nameOf) => {
        if (CANONICAL_TENANT.test(tenant)) return undefined;
        const canonical = tenant.toLowerCase().replaceAll("_", "-");
        const name = nameOf(segmentOf(canonical));
        return (
          `Tenant id ${describeTenant(tenant)} cannot be mapped to an environment variable without ambiguity: the default ` +
          `mapping (upper case, "-" to "_") gives "${canonical}", "${canonical.replaceAll("-", "_")}" and ` +
          `"${canonical.toUpperCase()}" the same variable${name === undefined ? "" : ` ${name}`}, so it takes ` +
          'only tenant ids of lower-case letters, digits and "-".'
        );
      },
      checkName: (name) =>
        VARIABLE_NAME.test(name) ? undefined : "it would not be a valid environment variable name",
      mappingOption: "tenantToVariable",
      example: `${DEFAULT_VARIABLE}_{tenant}`,
    },
    { map },
  );
  if (!VARIABLE_NAME.test(`${template.prefix}X${template.suffix}`)) {
    throw variable.error(
      "is not a valid environment variable name (letters, digits and '_', not starting with a digit).",
    );
  }
  return template;
}

/** The default mapping's text for `{tenant}`: upper case, `-` to `_`; one-to-one on canonical ids. */
function segmentOf(tenant: string): string {
  return tenant.toUpperCase().replaceAll("-", "_");
}

/**
 * The `variable` option (or `ONCEKEY_ENV_VAR`) as a configured name, the default when absent.
 *
 * @throws `ConfigError` naming the setting when it is not a string.
 */
export function variableOf(value: unknown, origin: SettingOrigin): ConfiguredValue {
  const variable = new ConfiguredValue(typeof value === "string" ? value : DEFAULT_VARIABLE, "name", origin);
  if (value !== undefined && typeof value !== "string") {
    throw variable.error(
      `must be the name of a variable, such as ${DEFAULT_VARIABLE}, got ${describeOptionValue(value)}.`,
    );
  }
  return variable;
}
