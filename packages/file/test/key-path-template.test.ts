import { beforeAll, describe, expect, it, jest } from "@jest/globals";
import type * as Source from "@oncekey/core/source";
import type { KeyPathTemplate as Template } from "../src/path/key-path-template.js";

// The template's own checks with core's tenant id rule switched off: the second lock must hold on its own.
jest.mock("../../core/src/tenant/validate-tenant", () => ({
  ...jest.requireActual<object>("../../core/src/tenant/validate-tenant"),
  validateTenant: (tenant: string) => tenant,
}));

let KeyPathTemplate: typeof Template;
let ConfiguredValue: typeof Source.ConfiguredValue;

beforeAll(async () => {
  // Loaded after the mock is in place, which a static import would precede.
  ({ KeyPathTemplate } = await import("../src/path/key-path-template.js"));
  ({ ConfiguredValue } = await import("@oncekey/core/source"));
});

const template = (path: string): Template =>
  new KeyPathTemplate(new ConfiguredValue(path, "path", { option: "path", factory: "fromFile" }));

describe("KeyPathTemplate", () => {
  describe("when a tenant id got past core's tenant id rule", () => {
    it.each([
      ["a separator", "acme/key"],
      ["a step up", ".."],
      ["a step up and over", "../outside"],
      ["the directory itself", "."],
      ["a NUL byte", "acme\0"],
      ["an absolute path", "/etc/passwd"],
    ])("still refuses %s", (_what, tenant) => {
      expect(() => template("/run/secrets/tenants/{tenant}").resolve(tenant)).toThrow(
        expect.objectContaining({ code: "INVALID_TENANT" }),
      );
    });

    it("resolves a plain id", () => {
      expect(template("/run/secrets/tenants/{tenant}/key").resolve("acme")).toMatchObject({
        path: "/run/secrets/tenants/acme/key",
      });
    });
  });
});
