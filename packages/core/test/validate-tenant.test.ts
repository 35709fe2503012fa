import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { InvalidTenantError, isValidTenant, validateTenant } from "../src/index.js";

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

  it("shortens a huge id in the error", () => {
    let error: InvalidTenantError | undefined;
    try {
      validateTenant("y".repeat(10_000));
    } catch (caught) {
      error = caught as InvalidTenantError;
    }
    expect(error?.message.length).toBeLessThan(300);
    expect(error?.tenant).toHaveLength(64);
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
