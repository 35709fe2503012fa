import { InvalidTenantError, KeyNotFoundError } from "@oncekey/core";
import { describeConfigValue, quotableConfigValue, validateTenant } from "@oncekey/core/source";

/**
 * Maps a tenant id to the full name of the variable that holds its key, for tenant ids the default mapping
 * refuses (upper case, `_`). The name must keep the fixed prefix and suffix around `{tenant}` in `variable`, and
 * no two tenant ids may map to one name: once a tenant was served from a variable, another id that maps to it is
 * an `InvalidTenantError`.
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

const PLACEHOLDER = "{tenant}";
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The tenant ids the default mapping takes: one spelling per variable, so no two ids share a key. */
const CANONICAL_TENANT = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Says what makes `template` unusable as a variable name (with at most one `{tenant}`), or returns `undefined`.
 * A template must start with a fixed prefix so that a tenant id can only reach the variables under it, never
 * `PATH` or another service's secret.
 */
export function describeVariableProblem(template: unknown): string | undefined {
  if (typeof template !== "string")
    return `is not a string (got ${template === null ? "null" : typeof template})`;
  if (template === "") return "is empty";
  const parts = template.split(PLACEHOLDER);
  if (parts.length > 2) return `holds ${PLACEHOLDER} more than once`;
  if (parts.length === 2 && parts[0] === "") {
    return `starts with ${PLACEHOLDER}; put a fixed prefix first (e.g. ONCEHUB_API_KEY_${PLACEHOLDER}) so tenant ids only reach variables under it`;
  }
  if (!VARIABLE_NAME.test(parts.join("X"))) {
    return "is not a valid environment variable name (letters, digits and '_', not starting with a digit)";
  }
  return undefined;
}

/**
 * The default mapping from a tenant id to the part of the name that replaces `{tenant}`: upper case, `-` to `_`.
 * Only called with canonical ids, for which it is one-to-one.
 */
export function tenantSegment(tenant: string): string {
  return tenant.toUpperCase().replaceAll("-", "_");
}

/**
 * Resolves the variable that holds the key for a request, and keeps tenant ids from sharing a variable.
 *
 * Without `{tenant}` the variable holds one key for no tenant: a request for a tenant is "not found", as with
 * `staticKey`, so a tenant is never served a key that was not configured for it. With `{tenant}`, a request must
 * name a tenant; the default mapping takes only canonical ids (lower-case letters, digits, `-`), because upper
 * case and `-` → `_` would give `acme-eu`, `acme_eu` and `Acme-EU` one variable. A custom mapping is checked at
 * run time: the first tenant served from a variable owns it for the provider's lifetime.
 */
export class VariableNames {
  /** The variable name as configured, `{tenant}` included. */
  readonly template: string;
  /** Whether the name holds `{tenant}`. */
  readonly perTenant: boolean;
  /**
   * Whether messages and sources may repeat the name: only a short one, as `quotableConfigValue` rules; a longer
   * one may be a key pasted where the name belongs, and is referred to by the setting that gave it.
   */
  readonly quoted: boolean;
  readonly #prefix: string;
  readonly #suffix: string;
  readonly #map: TenantToVariable | undefined;
  readonly #describe: (variable: string) => string;
  readonly #setting: string;
  /** Variable → the tenant that was served from it; only for a custom mapping. */
  readonly #owners = new Map<string, string>();

  /**
   * Validates a factory's `variable` and `tenantToVariable` options and builds the resolver. A bad name is not
   * shown in the message: it could be a key pasted in the wrong place.
   *
   * @param setting - What gave the name, for messages that cannot repeat it: `ONCEKEY_ENV_VAR`, or the option.
   * @throws TypeError naming the factory and the option.
   */
  static fromOptions(
    variable: string | undefined,
    map: TenantToVariable | undefined,
    factory: string,
    describe: (variable: string) => string,
    setting = "the variable option",
  ): VariableNames {
    const template = variable ?? DEFAULT_VARIABLE;
    const problem = describeVariableProblem(template);
    if (problem !== undefined) throw new TypeError(`${factory}: the variable option ${problem}.`);
    if (map !== undefined && typeof map !== "function") {
      throw new TypeError(`${factory}: tenantToVariable must be a function.`);
    }
    if (map !== undefined && !template.includes(PLACEHOLDER)) {
      const example = quotableConfigValue(template, "name") ?? DEFAULT_VARIABLE;
      throw new TypeError(
        `${factory}: tenantToVariable needs a per-tenant variable such as ${example}_${PLACEHOLDER}.`,
      );
    }
    return new VariableNames(template, map, describe, setting);
  }

  /**
   * @param template - The variable name, possibly with `{tenant}`; already validated.
   * @param map - A custom mapping, only with `{tenant}`.
   * @param describe - Turns a variable name into the source shown in errors (`env:NAME`).
   * @param setting - What gave the name, for messages that cannot repeat it.
   */
  private constructor(
    template: string,
    map: TenantToVariable | undefined,
    describe: (variable: string) => string,
    setting: string,
  ) {
    const parts = template.split(PLACEHOLDER);
    this.template = template;
    this.perTenant = parts.length === 2;
    this.quoted = quotableConfigValue(template, "name") !== undefined;
    this.#prefix = parts[0] ?? "";
    this.#suffix = parts[1] ?? "";
    this.#map = map;
    this.#describe = describe;
    this.#setting = setting;
  }

  /** `variable` as a `source` shows it: itself, or `<ONCEKEY_ENV_VAR>` when the name may not be repeated. */
  shown(variable: string): string {
    return this.quoted ? variable : `<${this.#setting}>`;
  }

  /** `variable` as a sentence names it: itself, or "the variable named by ONCEKEY_ENV_VAR (a name of 45 characters)". */
  spoken(variable: string): string {
    return this.quoted
      ? variable
      : `the variable named by ${this.#setting} (${describeConfigValue(this.template, "name")})`;
  }

  /** A per-tenant name to suggest: this one with `_{tenant}`, or the default's when this one is not repeated. */
  #perTenantExample(): string {
    return `${this.quoted ? this.template : DEFAULT_VARIABLE}_${PLACEHOLDER}`;
  }

  /**
   * The variable to read for `tenant`.
   *
   * @throws {@link KeyNotFoundError} when the request and the template disagree on having a tenant.
   * @throws {@link InvalidTenantError} for an invalid id, an id the default mapping cannot take, or an id that
   * would share a variable with another.
   */
  nameFor(tenant: string | undefined): string {
    const source = this.#describe(this.shown(this.template));
    if (!this.perTenant) {
      if (tenant === undefined) return this.template;
      throw new KeyNotFoundError(
        `${source} holds one key for no tenant, so none is served for tenant "${tenant}". ` +
          `Use a per-tenant variable such as ${this.#perTenantExample()}.`,
        { source },
      );
    }
    if (tenant === undefined) {
      throw new KeyNotFoundError(
        `${source} holds one key per tenant, but the request names no tenant. Ask for a tenant ` +
          "(client.forTenant(id)), or chain a provider that holds a default key.",
        { source },
      );
    }
    validateTenant(tenant);
    const name = this.#map === undefined ? this.#defaultName(tenant) : this.#customName(tenant);
    const owner = this.#owners.get(name);
    if (owner !== undefined && owner !== tenant) {
      throw new InvalidTenantError(
        `Tenant ids "${owner}" and "${tenant}" both map to ${this.quoted ? name : "one variable"}; a variable holds ` +
          "the key of one tenant only. Make tenantToVariable one-to-one.",
        { tenant: tenant.slice(0, 64), source },
      );
    }
    return name;
  }

  /** Records that `tenant`'s key was served from `variable`, so no other tenant can take it. */
  claim(variable: string, tenant: string | undefined): void {
    if (this.#map !== undefined && tenant !== undefined) this.#owners.set(variable, tenant);
  }

  #defaultName(tenant: string): string {
    if (!CANONICAL_TENANT.test(tenant)) {
      const canonical = tenant.toLowerCase().replaceAll("_", "-");
      throw new InvalidTenantError(
        `Tenant id "${tenant}" cannot be mapped to an environment variable without ambiguity: the default mapping ` +
          `(upper case, "-" to "_") gives "${canonical}", "${canonical.replaceAll("-", "_")}" and ` +
          `"${canonical.toUpperCase()}" the same variable${this.quoted ? ` ${this.#prefix}${tenantSegment(canonical)}${this.#suffix}` : ""}, ` +
          'so it takes only tenant ids of lower-case letters, digits and "-". Use such ids, or pass a one-to-one ' +
          "tenantToVariable.",
        { tenant, source: this.#describe(this.shown(this.template)) },
      );
    }
    return `${this.#prefix}${tenantSegment(tenant)}${this.#suffix}`;
  }

  #customName(tenant: string): string {
    const map = this.#map as TenantToVariable;
    const name: unknown = map(tenant);
    const ok =
      typeof name === "string" &&
      VARIABLE_NAME.test(name) &&
      name.length > this.#prefix.length + this.#suffix.length &&
      name.startsWith(this.#prefix) &&
      name.endsWith(this.#suffix);
    if (!ok) {
      throw new InvalidTenantError(
        // The returned value is not shown: a mapping gone wrong could return anything, a key included.
        `tenantToVariable returned an unusable name for tenant "${tenant}": it must return a valid environment ` +
          "variable name of the form " +
          (this.quoted
            ? `${this.#prefix}…${this.#suffix} (the fixed parts of ${this.template}).`
            : `set in ${this.#setting}, its text around {tenant} kept.`),
        { tenant, source: this.#describe(this.shown(this.template)) },
      );
    }
    return name;
  }
}
