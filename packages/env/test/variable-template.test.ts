import { describe, expect, it } from "@jest/globals";
import { InvalidTenantError, isValidTenant, KeyNotFoundError, type ApiKey } from "@oncekey/core";
import { ConfiguredValue, type TenantTemplate } from "@oncekey/core/source";
import { rejectionOf } from "@oncekey/test-support";
import fc from "fast-check";
import { variableTemplate, type TenantToVariable } from "../src/names/variable-template.js";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function names(template: string, map?: TenantToVariable): TenantTemplate {
  const value = new ConfiguredValue(template, "name", { option: "variable", factory: "test" });
  return variableTemplate(value, map, (variable) => `env:${variable}`);
}

/** The name for `tenant`, or `undefined` when it is refused. */
function nameOrRefusal(resolver: TenantTemplate, tenant: string): string | undefined {
  try {
    return resolver.nameFor(tenant);
  } catch (error) {
    if (InvalidTenantError.is(error)) return undefined;
    throw error;
  }
}

/** Reads through `resolver` as a provider does, serving a key from every variable. */
const read = (resolver: TenantTemplate, tenant: string): Promise<string> =>
  resolver.read(tenant, async (name) => name);

const anyValidTenant = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/);
/** Few characters, so that colliding spellings (a-b, a_b, A-B) come up often. */
const collidingTenant = fc
  .array(fc.constantFrom("a", "A", "b", "B", "1", "-", "_"), { minLength: 1, maxLength: 5 })
  .map((chars) => chars.join(""))
  .filter((tenant) => isValidTenant(tenant));
const templates = fc
  .tuple(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/), fc.stringMatching(/^[A-Za-z0-9_]{0,10}$/))
  .map(([prefix, suffix]) => `${prefix}{tenant}${suffix}`);

describe(variableTemplate.name, () => {
  describe("when the template holds {tenant}", () => {
    it("maps tenant ids to upper case with '-' as '_'", () => {
      expect(names("ONCEHUB_API_KEY_{tenant}").nameFor("acme-eu")).toBe("ONCEHUB_API_KEY_ACME_EU");
      expect(names("KEY_{tenant}_V2").nameFor("42")).toBe("KEY_42_V2");
    });

    it("refuses ids whose spelling another id shares, naming the variable", () => {
      const resolver = names("ONCEHUB_API_KEY_{tenant}");
      for (const tenant of ["acme_eu", "Acme-EU", "ACME"]) {
        expect(() => resolver.nameFor(tenant)).toThrow(InvalidTenantError);
      }
      expect(() => resolver.nameFor("acme_eu")).toThrow(/ONCEHUB_API_KEY_ACME_EU/);
    });

    it("refuses invalid tenant ids before mapping", () => {
      expect(() => names("K_{tenant}").nameFor("../etc")).toThrow(InvalidTenantError);
    });

    it("says 'not found' for a request without tenant", () => {
      expect(() => names("K_{tenant}").nameFor(undefined)).toThrow(KeyNotFoundError);
    });
  });

  describe("when the template has no {tenant}", () => {
    it("serves requests without tenant and no tenant at all", () => {
      const resolver = names("ONCEHUB_API_KEY");
      expect(resolver.nameFor(undefined)).toBe("ONCEHUB_API_KEY");
      expect(() => resolver.nameFor("acme")).toThrow(KeyNotFoundError);
    });
  });

  describe("when the template is not a usable name", () => {
    it.each([
      ["", "is empty"],
      ["{tenant}_KEY", "starts with {tenant}"],
      ["K_{tenant}_{tenant}", "more than once"],
      ["ONCEHUB-API-KEY", "not a valid environment variable name"],
      ["1KEY", "not a valid environment variable name"],
      ["KEY_{tenant", "not a valid environment variable name"],
    ])("refuses %j (%s) with a ConfigError, without echoing it", (template, problem) => {
      expect(() => names(template)).toThrow(problem);
      expect(() => names(template)).toThrow(
        expect.objectContaining({ code: "CONFIG", variable: "variable" }),
      );
      if (template.length > 4) expect(() => names(template)).not.toThrow(template);
    });

    it("refuses tenantToVariable without {tenant}", () => {
      expect(() => names("ONCEHUB_API_KEY", (t) => t)).toThrow(/tenantToVariable has nothing to map/);
    });
  });

  describe("when tenantToVariable is given", () => {
    it("uses it and refuses a second tenant on a variable already served", async () => {
      const resolver = names("KEY_{tenant}", (tenant) => `KEY_${tenant.toUpperCase()}`);
      await expect(read(resolver, "Acme")).resolves.toBe("KEY_ACME");
      await expect(read(resolver, "Acme")).resolves.toBe("KEY_ACME");
      await expect(read(resolver, "acme")).rejects.toThrow(/"Acme" and "acme" both map to KEY_ACME/);
    });

    it("claims a variable when the read starts, so a second tenant asking at once is refused", async () => {
      const resolver = names("KEY_{tenant}", (tenant) => `KEY_${tenant.toUpperCase()}`);
      const [first, second] = await Promise.allSettled([read(resolver, "Acme"), read(resolver, "acme")]);
      expect(first).toEqual({ status: "fulfilled", value: "KEY_ACME" });
      expect(second).toMatchObject({ status: "rejected", reason: { code: "INVALID_TENANT" } });
    });

    it("releases a claim whose reads all failed, so made-up tenant ids leave nothing behind", async () => {
      const resolver = names("KEY_{tenant}", (tenant) => `KEY_${tenant.toUpperCase()}`);
      const missing = (): Promise<ApiKey> => Promise.reject(new KeyNotFoundError("not set"));
      await expect(resolver.read("Acme", missing)).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      await expect(read(resolver, "acme")).resolves.toBe("KEY_ACME");
      expect(await rejectionOf(read(resolver, "Acme"))).toMatchObject({ code: "INVALID_TENANT" });
    });

    it("refuses a name outside the template's prefix and suffix, without echoing it", () => {
      const resolver = names("KEY_{tenant}_V1", (tenant) => (tenant === "a" ? "PATH" : `KEY_${tenant}_V1`));
      expect(() => resolver.nameFor("a")).toThrow(InvalidTenantError);
      expect(() => resolver.nameFor("a")).not.toThrow(/PATH/);
      expect(resolver.nameFor("b")).toBe("KEY_b_V1");
    });

    it("refuses a name that is not a variable name", () => {
      const resolver = names("KEY_{tenant}", () => "KEY_a-b");
      expect(() => resolver.nameFor("a")).toThrow(InvalidTenantError);
    });
  });

  describe("the default mapping (properties)", () => {
    it("gives a valid variable name under the template's prefix and suffix for every id it takes", () => {
      fc.assert(
        fc.property(templates, anyValidTenant, (template, tenant) => {
          const name = nameOrRefusal(names(template), tenant);
          if (name === undefined) return;
          const [prefix, suffix] = template.split("{tenant}") as [string, string];
          expect(name).toMatch(ENV_NAME);
          expect(name.startsWith(prefix) && name.endsWith(suffix)).toBe(true);
          expect(name.length).toBeGreaterThan(prefix.length + suffix.length);
        }),
      );
    });

    it("never gives two accepted ids the same variable", () => {
      fc.assert(
        fc.property(
          templates,
          fc.uniqueArray(fc.oneof(collidingTenant, anyValidTenant), { maxLength: 40 }),
          (template, tenants) => {
            const resolver = names(template);
            const byName = new Map<string, string>();
            for (const tenant of tenants) {
              const name = nameOrRefusal(resolver, tenant);
              if (name === undefined) continue;
              expect(byName.get(name) ?? tenant).toBe(tenant);
              byName.set(name, tenant);
            }
          },
        ),
      );
    });

    it("refuses an id only when another id would share its variable", () => {
      fc.assert(
        fc.property(anyValidTenant, (tenant) => {
          const resolver = names("ONCEHUB_API_KEY_{tenant}");
          if (nameOrRefusal(resolver, tenant) !== undefined) return;
          const canonical = tenant.toLowerCase().replaceAll("_", "-");
          expect(canonical).not.toBe(tenant);
          expect(resolver.nameFor(canonical)).toBe(
            `ONCEHUB_API_KEY_${tenant.toUpperCase().replaceAll("-", "_")}`,
          );
        }),
      );
    });

    it("never gives a name for an invalid tenant id", () => {
      const invalid = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          "",
          "..",
          "../x",
          "%2e%2e",
          "/etc/passwd",
          "a\0b",
          "-a",
          "_a",
          "a b",
          "a.b",
          "a".repeat(129),
        ),
      );
      fc.assert(
        fc.property(templates, invalid, (template, tenant) => {
          fc.pre(!isValidTenant(tenant));
          expect(() => names(template).nameFor(tenant)).toThrow(InvalidTenantError);
        }),
      );
    });
  });
});
