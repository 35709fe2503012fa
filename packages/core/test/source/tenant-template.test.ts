import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { rejectionOf, showsKey, thrownBy } from "@oncekey/test-support";
import { KeyNotFoundError } from "../../src/index.js";
import { ConfiguredValue, TenantTemplate, type TenantTemplateRules } from "../../src/source.js";

const rules: TenantTemplateRules = {
  noun: "secret",
  sourceOf: (shown) => `test:${shown}`,
  defaultSegment: (tenant) => tenant,
  refuseTenant: (tenant) => (tenant.includes("_") ? `Tenant id "${tenant}" holds "_".` : undefined),
  checkName: (name) => (name.length > 30 ? "it is too long" : undefined),
  claimKey: (name) => name.toLowerCase(),
  mappingOption: "tenantToName",
  example: "key-{tenant}",
};
const inCode = (value: string): ConfiguredValue =>
  new ConfiguredValue(value, "name", { option: "name", factory: "fromTest" });
const inConfig = (value: string): ConfiguredValue =>
  new ConfiguredValue(value, "name", { option: "name", factory: "fromTest", variable: "TEST_NAME" });
const template = (value: string, map?: (tenant: string) => unknown): TenantTemplate =>
  new TenantTemplate(inCode(value), rules, { map });
const serve = (names: TenantTemplate, tenant: string): Promise<string> =>
  names.read(tenant, async (name) => name);

describe(TenantTemplate.name, () => {
  describe("when the template is set", () => {
    it.each([
      ["{tenant}", "starts with {tenant}; put a fixed prefix first"],
      ["{tenant}-key", "starts with {tenant}; put a fixed prefix first"],
      ["key-{tenant}-{tenant}", "holds {tenant} more than once"],
    ])("refuses %s, speaking of the option in code", (value, problem) => {
      const error = thrownBy(() => template(value));
      expect(error).toMatchObject({ code: "CONFIG", variable: "name" });
      expect((error as Error).message).toContain(`fromTest: the name option ${problem}`);
    });

    it("speaks of the configuration variable for a value from configuration", () => {
      const error = thrownBy(() => new TenantTemplate(inConfig("{tenant}"), rules));
      expect(error).toMatchObject({ code: "CONFIG", variable: "TEST_NAME" });
      expect((error as Error).message).toMatch(/^TEST_NAME starts with \{tenant\}/);
    });

    it("takes {tenant} more than once where the rules allow it, replacing each", () => {
      const names = new TenantTemplate(inCode("/k/{tenant}/{tenant}.key"), { ...rules, repeatable: true });
      expect(names.nameFor("acme")).toBe("/k/acme/acme.key");
    });

    it("refuses a mapping without {tenant}", () => {
      expect(thrownBy(() => template("key", (tenant) => tenant))).toMatchObject({ code: "CONFIG" });
    });
  });

  describe("when the request and the template disagree about tenants", () => {
    it("serves no tenant from a name without {tenant}", () => {
      expect(() => template("key").nameFor("acme")).toThrow(KeyNotFoundError);
      expect(template("key").nameFor(undefined)).toBe("key");
    });

    it("serves no request without tenant from a per-tenant name", () => {
      expect(() => template("key-{tenant}").nameFor(undefined)).toThrow(/the request names no tenant/);
    });
  });

  describe("when the default mapping takes the id", () => {
    it("validates the id first, then applies the rules", () => {
      const names = template("key-{tenant}");
      expect(names.nameFor("acme")).toBe("key-acme");
      expect(thrownBy(() => names.nameFor("../x"))).toMatchObject({ code: "INVALID_TENANT" });
      expect(thrownBy(() => names.nameFor("acme_eu"))).toMatchObject({
        code: "INVALID_TENANT",
        message: expect.stringContaining("Pass a one-to-one tenantToName"),
      });
      expect(thrownBy(() => names.nameFor("a".repeat(40)))).toMatchObject({
        code: "INVALID_TENANT",
        message: expect.stringContaining("it is too long"),
      });
    });
  });

  describe("when a mapping function is given", () => {
    it("claims a name for the first tenant read through it, ignoring case as the rules say", async () => {
      const names = template("key-{tenant}", (tenant) => `key-${tenant}`);
      await expect(serve(names, "acme")).resolves.toBe("key-acme");
      await expect(serve(names, "acme")).resolves.toBe("key-acme");
      await expect(rejectionOf(serve(names, "ACME"))).resolves.toMatchObject({
        code: "INVALID_TENANT",
        message: expect.stringContaining('Tenant ids "acme" and "ACME" both map to key-ACME'),
      });
    });

    it("claims before the read starts: of two tenants asking at once, one is served", async () => {
      const names = template("key-{tenant}", (tenant) => `key-${tenant.toLowerCase()}`);
      const outcomes = await Promise.allSettled([serve(names, "Acme"), serve(names, "acme")]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    });

    it("releases a claim whose reads all failed", async () => {
      const names = template("key-{tenant}", () => "key-shared");
      const failing = (): Promise<string> => Promise.reject(new KeyNotFoundError("no such secret"));
      await expect(names.read("acme", failing)).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      await expect(serve(names, "globex")).resolves.toBe("key-shared");
      await expect(rejectionOf(serve(names, "acme"))).resolves.toMatchObject({ code: "INVALID_TENANT" });
    });

    it("keeps a claim while a read through it is still under way", async () => {
      const names = template("key-{tenant}", () => "key-shared");
      let finish: () => void = () => undefined;
      const slow = names.read("acme", () => new Promise<string>((resolve) => (finish = () => resolve("k"))));
      const failing = names.read("acme", () => Promise.reject(new KeyNotFoundError("gone")));
      await expect(failing).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      await expect(rejectionOf(serve(names, "globex"))).resolves.toMatchObject({ code: "INVALID_TENANT" });
      finish();
      await expect(slow).resolves.toBe("k");
    });

    it("refuses a name outside the template's fixed parts, without repeating it", async () => {
      const names = template("key-{tenant}", () => CANARY_KEYS.dashed);
      const error = await rejectionOf(serve(names, "acme"));
      expect(error).toMatchObject({ code: "INVALID_TENANT" });
      expect(showsKey(CANARY_KEYS.dashed, error)).toBe(false);
    });
  });

  describe("when the template may not be repeated", () => {
    it.each(Object.entries(CANARY_KEYS))("shows the %s canary as its setting", async (_shape, key) => {
      const names = new TenantTemplate(inCode(`${key.replace(/[^A-Za-z0-9-]/g, "")}-{tenant}`), rules);
      const outcomes = await Promise.all(
        [undefined, "acme", "acme_eu", "../x"].map((tenant) =>
          rejectionOf(Promise.resolve().then(() => names.nameFor(tenant))),
        ),
      );
      expect(names.sourceOf()).toBe("test:<the name option>");
      for (const outcome of outcomes) expect(showsKey(key, outcome)).toBe(false);
    });
  });
});
