import { InvalidTenantError } from "../errors/invalid-tenant-error.js";
import { KeyNotFoundError } from "../errors/key-not-found-error.js";
import { describeTenant } from "../tenant/describe-tenant.js";
import { validateTenant } from "../tenant/validate-tenant.js";
import type { ConfiguredValue } from "./configured-value.js";

/**
 * What a name is for one kind of key source: an environment variable, a key file path, a Key Vault secret.
 *
 * @example
 * ```ts
 * const rules: TenantTemplateRules = {
 *   noun: "secret",
 *   sourceOf: (shown) => `my-vault:${shown}`,
 *   defaultSegment: (tenant) => tenant.toLowerCase(),
 *   checkName: (name) => (name.length > 127 ? "it is longer than 127 characters" : undefined),
 *   example: "oncehub-{tenant}",
 * };
 * ```
 */
export interface TenantTemplateRules {
  /** What one name is, for messages: `variable`, `key file`, `secret`. */
  readonly noun: string;
  /** The `source` of keys and errors, given a name as messages show it: `env:ONCEHUB_API_KEY`. */
  readonly sourceOf: (shown: string) => string;
  /**
   * The text that replaces `{tenant}` when no mapping is given, for a valid tenant id that `refuseTenant` let
   * through: one-to-one on those ids.
   */
  readonly defaultSegment: (tenant: string) => string;
  /**
   * Says why the default mapping cannot take a valid tenant id (it would give it another id's name, or a name the
   * backend refuses), as a sentence; `undefined` when it can.
   *
   * @param tenant - The id.
   * @param nameOf - The name a segment gives, when messages may repeat it; else `undefined`.
   */
  readonly refuseTenant?: (
    tenant: string,
    nameOf: (segment: string) => string | undefined,
  ) => string | undefined;
  /** Says what makes a whole name unusable (too long, a character the backend refuses), or `undefined`. */
  readonly checkName?: (name: string) => string | undefined;
  /** The key a name is claimed under, so names the backend takes as one (Key Vault ignores case) are one claim. */
  readonly claimKey?: (name: string) => string;
  /** The option that maps tenant ids, for messages: `tenantToVariable`; only for a source that takes one. */
  readonly mappingOption?: string;
  /**
   * Whether `{tenant}` may stand more than once, every one replaced (a path: `/keys/{tenant}/{tenant}.key`).
   * @defaultValue `false`
   */
  readonly repeatable?: boolean;
  /** A template to suggest, with a fixed prefix: `ONCEHUB_API_KEY_{tenant}`. */
  readonly example: string;
}

/**
 * Options of a {@link TenantTemplate} beyond its value and rules.
 *
 * @example
 * ```ts
 * const paths = new TenantTemplate(path, rules, { map: options.tenantToPath, text: resolve(path.value) });
 * ```
 */
export interface TenantTemplateOptions {
  /** The user's mapping from a tenant id to the whole name; only with `{tenant}`. */
  readonly map?: ((tenant: string) => unknown) | undefined;
  /**
   * The template's text, when it differs from the value as configured: a key file path resolved against the
   * working directory. Messages still judge by the value whether they may repeat it.
   * @defaultValue the value
   */
  readonly text?: string;
}

/** The tenant a name was claimed by, and whether it served a key yet. */
interface Claim {
  readonly tenant: string;
  served: boolean;
  /** Reads under way with this claim. */
  pending: number;
}

const PLACEHOLDER = "{tenant}";

/**
 * A name with at most one `{tenant}` (an environment variable, a key file path, a Key Vault secret name), resolved
 * per request without I/O, and kept one-to-one: no two tenant ids ever read one name.
 *
 * - The template must start with a fixed prefix, so a tenant id can only reach names under it (never `PATH`,
 *   another service's secret, or a file elsewhere).
 * - Without `{tenant}`, the name holds the key of no tenant: a request for a tenant is "not found". With it, a
 *   request must name a tenant; the id is validated first.
 * - The default mapping (`rules.defaultSegment`) is one-to-one by construction. A mapping function given by the
 *   user is not trusted to be: the first tenant id whose read uses a name claims it, and another id that lands on
 *   it is an `InvalidTenantError`. The claim is made when the read starts, with no wait between the check and
 *   the claim, so two tenants asking at once cannot both pass. A claim whose reads all failed before any served
 *   a key is released, so made-up tenant ids leave nothing behind: claims are bounded by the names that hold keys.
 *
 * @example
 * ```ts
 * const variable = new ConfiguredValue("ONCEHUB_API_KEY_{tenant}", "name", { option: "variable", factory: "fromEnv" });
 * const names = new TenantTemplate(variable, {
 *   noun: "variable",
 *   sourceOf: (shown) => `env:${shown}`,
 *   defaultSegment: (tenant) => tenant.toUpperCase().replaceAll("-", "_"),
 *   mappingOption: "tenantToVariable",
 *   example: "ONCEHUB_API_KEY_{tenant}",
 * });
 * const key = await names.read("acme-eu", async (name) => ApiKey.from(process.env[name] ?? ""));
 * ```
 */
export class TenantTemplate {
  /** The template as configured. */
  readonly value: ConfiguredValue;
  /** The template's text: the value, or what it resolves to (an absolute path). */
  readonly text: string;
  /** Whether the template holds `{tenant}`. */
  readonly perTenant: boolean;
  /** The text before the first `{tenant}` (all of it without one). */
  readonly prefix: string;
  /** The text after the last `{tenant}`. */
  readonly suffix: string;
  readonly #parts: readonly string[];
  readonly #rules: TenantTemplateRules;
  readonly #map: ((tenant: string) => unknown) | undefined;
  /** Claim key → its claim; only with a mapping function. */
  readonly #claims = new Map<string, Claim>();

  /**
   * @param value - The template; its text is the value to split around `{tenant}`.
   * @param rules - {@link TenantTemplateRules}.
   * @param options - {@link TenantTemplateOptions}.
   * @throws `ConfigError` naming the setting when the template holds `{tenant}` more than once, has no fixed
   *   prefix, or a mapping comes without `{tenant}`.
   */
  constructor(value: ConfiguredValue, rules: TenantTemplateRules, options: TenantTemplateOptions = {}) {
    const { map, text = value.value } = options;
    const parts = text.split(PLACEHOLDER);
    if (parts.length > 2 && rules.repeatable !== true) {
      throw value.error(`holds ${PLACEHOLDER} more than once; use it at most once.`);
    }
    if (parts.length === 2 && parts[0] === "") {
      throw value.error(
        `starts with ${PLACEHOLDER}; put a fixed prefix first (e.g. ${rules.example}), so that tenant ids only ` +
          `reach the ${rules.noun}s under it.`,
      );
    }
    this.value = value;
    this.text = text;
    this.perTenant = parts.length > 1;
    this.prefix = parts[0] ?? "";
    this.suffix = parts.length > 1 ? (parts[parts.length - 1] ?? "") : "";
    this.#parts = parts;
    this.#rules = rules;
    this.#map = map;
    if (map !== undefined && !this.perTenant) {
      const option = rules.mappingOption ?? "the mapping";
      throw value.error(
        `holds no ${PLACEHOLDER}, so ${option} has nothing to map: use a per-tenant template such as ` +
          `${rules.example}, or leave ${option} out.`,
      );
    }
  }

  /** How a `source` string shows `name` (a name this template made): itself, or the setting that gave it. */
  shown(name: string = this.text): string {
    return this.value.shown(name);
  }

  /** The `source` of keys and errors for `name`. */
  sourceOf(name: string = this.text): string {
    return this.#rules.sourceOf(this.shown(name));
  }

  /**
   * The name to read for `tenant`, without claiming it: for checks before I/O.
   *
   * @throws {@link @oncekey/core!KeyNotFoundError | KeyNotFoundError} when the request and the template disagree on
   *   having a tenant.
   * @throws {@link @oncekey/core!InvalidTenantError | InvalidTenantError} for an invalid id, one the default mapping
   *   cannot take, or an unusable name.
   */
  nameFor(tenant: string | undefined): string {
    if (!this.perTenant) {
      if (tenant === undefined) return this.text;
      validateTenant(tenant);
      throw new KeyNotFoundError(
        `${capitalized(this.value.phrase(this.#rules.noun, this.text))} holds the key of no tenant, so none is served for ` +
          `tenant ${describeTenant(tenant)}. Put ${PLACEHOLDER} in ${this.value.setting} for one ${this.#rules.noun} per ` +
          `tenant, e.g. ${this.#rules.example}.`,
        { source: this.sourceOf() },
      );
    }
    if (tenant === undefined) {
      throw new KeyNotFoundError(
        `${capitalized(this.value.phrase(this.#rules.noun, this.text))} holds ${PLACEHOLDER}, but the request names no ` +
          "tenant. Ask for a tenant's key (client.forTenant(id)), or chain a provider that holds a default key.",
        { source: this.sourceOf() },
      );
    }
    validateTenant(tenant);
    const name = this.#map === undefined ? this.#defaultName(tenant) : this.#mappedName(tenant);
    const problem = this.#rules.checkName?.(name);
    if (problem !== undefined) {
      throw this.#refusal(
        tenant,
        `Tenant id ${describeTenant(tenant)} cannot name a ${this.#rules.noun}: ${problem}. ` +
          (this.#map === undefined ? this.#mapFix() : `Fix ${this.#rules.mappingOption ?? "the mapping"}.`),
      );
    }
    return name;
  }

  /**
   * Resolves the name for `tenant`, claims it for that tenant (with a mapping function), and runs `read` on it. The
   * check and the claim happen before `read` starts, with nothing awaited in between. A claim is kept once a read
   * through it succeeded, and released when every read through it failed.
   *
   * @param tenant - The request's tenant.
   * @param read - Reads the key from the name.
   * @throws What {@link TenantTemplate.nameFor} throws; {@link InvalidTenantError} when another tenant id holds
   *   the name; whatever `read` throws.
   */
  async read<T>(tenant: string | undefined, read: (name: string) => Promise<T>): Promise<T> {
    const name = this.nameFor(tenant);
    const claim = this.#map === undefined || tenant === undefined ? undefined : this.#claim(name, tenant);
    try {
      const result = await read(name);
      if (claim !== undefined) claim.served = true;
      return result;
    } finally {
      if (claim !== undefined) this.#settle(name, claim);
    }
  }

  #claim(name: string, tenant: string): Claim {
    const key = this.#rules.claimKey?.(name) ?? name;
    const held = this.#claims.get(key);
    if (held !== undefined && held.tenant !== tenant) {
      throw this.#refusal(
        tenant,
        `Tenant ids ${describeTenant(held.tenant)} and ${describeTenant(tenant)} both map to ` +
          `${this.value.quoted ? name : `one ${this.#rules.noun}`}; a ${this.#rules.noun} holds the key of one ` +
          `tenant only. Make ${this.#rules.mappingOption ?? "the mapping"} one-to-one.`,
      );
    }
    const claim = held ?? { tenant, served: false, pending: 0 };
    claim.pending += 1;
    this.#claims.set(key, claim);
    return claim;
  }

  #settle(name: string, claim: Claim): void {
    claim.pending -= 1;
    const key = this.#rules.claimKey?.(name) ?? name;
    if (!claim.served && claim.pending === 0 && this.#claims.get(key) === claim) this.#claims.delete(key);
  }

  #defaultName(tenant: string): string {
    const refused = this.#rules.refuseTenant?.(tenant, (segment) =>
      this.value.quoted ? this.#parts.join(segment) : undefined,
    );
    if (refused !== undefined) throw this.#refusal(tenant, `${refused} ${this.#mapFix()}`);
    return this.#parts.join(this.#rules.defaultSegment(tenant));
  }

  /** What to do about an id the default mapping refuses. */
  #mapFix(): string {
    const option = this.#rules.mappingOption;
    return option === undefined
      ? "Use tenant ids that it takes."
      : `Pass a one-to-one ${option} to map such ids.`;
  }

  #mappedName(tenant: string): string {
    const map = this.#map as (tenant: string) => unknown;
    const name = map(tenant);
    const ok =
      typeof name === "string" &&
      name.length > this.prefix.length + this.suffix.length &&
      name.startsWith(this.prefix) &&
      name.endsWith(this.suffix);
    if (!ok) {
      // The value returned is not shown: a mapping gone wrong could return anything, a key included.
      throw this.#refusal(
        tenant,
        `${this.#rules.mappingOption ?? "The mapping"} returned an unusable name for tenant ${describeTenant(tenant)}: it must return a ` +
          `${this.#rules.noun} name that keeps the text around ${PLACEHOLDER} in ` +
          `${this.value.quoted ? this.text : this.value.setting}.`,
      );
    }
    return name;
  }

  #refusal(tenant: string, message: string): InvalidTenantError {
    return new InvalidTenantError(message, { tenant: tenant.slice(0, 64), source: this.sourceOf() });
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
