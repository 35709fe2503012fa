import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { InvalidTenantError, isValidTenant } from "../src/index.js";
import { validateTenant } from "../src/source.js";

describe(validateTenant.name, () => {
  it.each(["a", "0", "acme", "acme-eu", "acme_eu", "A1-b2_C3", "x".repeat(128)])("accepts %s", (tenant) => {
    expect(validateTenant(tenant)).toBe(tenant);
    expect(isValidTenant(tenant)).toBe(true);
  });

  it.each([
    ["empty", "", /is empty/],
    ["too long", "x".repeat(129), /129 characters long/],
    ["a leading dash", "-acme", /must start with a letter or digit/],
    ["a leading underscore", "_acme", /must start with a letter or digit/],
    ["a dot-dot", "..", /may hold only/],
    ["a traversal", "../etc", /may hold only/],
    ["a slash", "a/b", /may hold only/],
    ["a backslash", "a\\b", /may hold only/],
    ["a percent-encoded dot", "%2e%2e", /may hold only/],
    ["a null byte", "a\u0000b", /may hold only/],
    ["a space", "a b", /may hold only/],
    ["non-ASCII", "acmé", /may hold only/],
    ["a template", "{tenant}", /may hold only/],
  ])("refuses %s", (_name, tenant, message) => {
    expect(() => validateTenant(tenant)).toThrow(message);
    expect(() => validateTenant(tenant)).toThrow(InvalidTenantError);
    expect(isValidTenant(tenant)).toBe(false);
  });

  it("refuses non-strings", () => {
    expect(() => validateTenant(undefined)).toThrow(/must be a string, got undefined/);
    expect(() => validateTenant(42)).toThrow(/got number/);
  });

  it("describes a huge id by its length", () => {
    let error: InvalidTenantError | undefined;
    try {
      validateTenant("y".repeat(10_000));
    } catch (caught) {
      error = caught as InvalidTenantError;
    }
    expect(error?.message).toMatch(/^Invalid tenant id of 10000 characters: it is 10000 characters long/);
    expect(error?.tenant).toBeUndefined();
  });

  it("shows a short invalid id, and only says where a longer one goes wrong (it may be a key)", () => {
    expect(() => validateTenant("../etc")).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('Invalid tenant id "../etc"'),
        tenant: "../etc",
      }),
    );
    const key = "canary-ohk-7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e";
    for (const pasted of [`${key}.`, `.${key}`, `${key.slice(0, 20)}/${key.slice(20)}`]) {
      let error: InvalidTenantError | undefined;
      try {
        validateTenant(pasted);
      } catch (caught) {
        error = caught as InvalidTenantError;
      }
      expect(error?.message).toMatch(/another character is at position \d+/);
      expect(JSON.stringify([error?.message, error?.tenant, error?.stack])).not.toContain(key.slice(0, 12));
      expect(error?.tenant).toBeUndefined();
    }
  });

  it("property: accepted ids are safe as path segments and variable suffixes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 140 }), (tenant) => {
        if (!isValidTenant(tenant)) {
          expect(() => validateTenant(tenant)).toThrow(InvalidTenantError);
          return;
        }
        expect(tenant).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]*$/);
        expect(tenant.length).toBeLessThanOrEqual(128);
      }),
      { numRuns: 2_000 },
    );
  });
});
