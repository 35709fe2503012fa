import { beforeAll, describe, expect, it, jest } from "@jest/globals";
import type * as Core from "@oncekey/core";
import type { KeyPathTemplate as Template } from "../src/path/key-path-template.js";

// The template's own checks with core's tenant id rule switched off: the second lock must hold on its own.
jest.mock("@oncekey/core", () => ({
  ...jest.requireActual<typeof Core>("@oncekey/core"),
  validateTenant: (tenant: string) => tenant,
}));

let KeyPathTemplate: typeof Template;

beforeAll(async () => {
  // Loaded after the mock is in place, which a static import would precede.
  ({ KeyPathTemplate } = await import("../src/path/key-path-template.js"));
});

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
      const template = new KeyPathTemplate("/run/secrets/tenants/{tenant}");
      expect(() => template.resolve(tenant)).toThrow(expect.objectContaining({ code: "INVALID_TENANT" }));
    });

    it("resolves a plain id", () => {
      const template = new KeyPathTemplate("/run/secrets/tenants/{tenant}/key");
      expect(template.resolve("acme")).toMatchObject({ path: "/run/secrets/tenants/acme/key" });
    });
  });
});
