import { describe, expect, it } from "@jest/globals";
import { thrownBy } from "@oncekey/test-support";
import { tenantFromHeader } from "../../src/http/tenant-from-header.js";
import { tenantFromParam } from "../../src/http/tenant-from-param.js";
import { tenantFromSubdomain } from "../../src/http/tenant-from-subdomain.js";

const invalid = { code: "INVALID_TENANT" };

describe(tenantFromHeader.name, () => {
  const tenant = tenantFromHeader("X-Tenant");

  it("reads the header whatever the case of its name", () => {
    expect(tenant({ headers: { "x-tenant": "acme-42" } })).toBe("acme-42");
  });

  it("refuses an invalid id, the header sent twice, or none", () => {
    expect(thrownBy(() => tenant({ headers: { "x-tenant": "../x" } }))).toMatchObject(invalid);
    expect(thrownBy(() => tenant({ headers: { "x-tenant": ["a", "b"] } }))).toMatchObject({
      ...invalid,
      message: "The X-Tenant header was sent 2 times; send one tenant id.",
    });
    expect(thrownBy(() => tenant({ headers: {} }))).toMatchObject({
      ...invalid,
      message: "The request names no tenant: send its id in the X-Tenant header.",
    });
  });

  it("leaves a request without the header to the client's own key when not required", () => {
    expect(tenantFromHeader("x-tenant", { required: false })({ headers: {} })).toBeUndefined();
  });
});

describe(tenantFromParam.name, () => {
  const tenant = tenantFromParam("tenant");

  it("reads the route parameter", () => {
    expect(tenant({ headers: {}, params: { tenant: "acme" } })).toBe("acme");
  });

  it("refuses a decoded line break, a path, a non-string, or no parameter", () => {
    expect(thrownBy(() => tenant({ headers: {}, params: { tenant: "a\nb" } }))).toMatchObject(invalid);
    expect(thrownBy(() => tenant({ headers: {}, params: { tenant: "../x" } }))).toMatchObject(invalid);
    expect(thrownBy(() => tenant({ headers: {}, params: { tenant: 42 } }))).toMatchObject(invalid);
    expect(thrownBy(() => tenant({ headers: {}, params: {} }))).toMatchObject(invalid);
    expect(thrownBy(() => tenant({ headers: {} }))).toMatchObject(invalid);
  });

  it("reads only the parameters' own properties", () => {
    const params = Object.create({ tenant: "inherited" }) as object;

    expect(tenantFromParam("tenant", { required: false })({ headers: {}, params })).toBeUndefined();
  });
});

describe(tenantFromSubdomain.name, () => {
  const tenant = tenantFromSubdomain({ domain: "Example.COM" });

  it("reads the label before the domain, in lower case", () => {
    expect(tenant({ headers: {}, hostname: "Acme.example.com" })).toBe("acme");
  });

  it("reads the Host header, without its port, when the framework gives no hostname", () => {
    expect(tenant({ headers: { host: "globex.example.com:8443" } })).toBe("globex");
  });

  it("refuses two labels, an invalid label, and a host outside the domain or the domain itself", () => {
    expect(thrownBy(() => tenant({ headers: {}, hostname: "a.b.example.com" }))).toMatchObject(invalid);
    expect(thrownBy(() => tenant({ headers: {}, hostname: "-x.example.com" }))).toMatchObject(invalid);
    expect(thrownBy(() => tenant({ headers: {}, hostname: "example.com" }))).toMatchObject(invalid);
    expect(thrownBy(() => tenant({ headers: {}, hostname: "evil-example.com" }))).toMatchObject(invalid);
    expect(thrownBy(() => tenant({ headers: { host: "[::1]:3000" } }))).toMatchObject(invalid);
  });

  it("leaves a host without a tenant to the client's own key when not required", () => {
    const optional = tenantFromSubdomain({ domain: "example.com", required: false });

    expect(optional({ headers: {}, hostname: "example.com" })).toBeUndefined();
  });
});

describe("the helpers' options", () => {
  it.each([
    ["a header name with a space", () => tenantFromHeader("x tenant"), "name"],
    [
      "required that is no boolean",
      () => tenantFromHeader("x-tenant", { required: "yes" } as never),
      "required",
    ],
    ["an empty parameter name", () => tenantFromParam(""), "name"],
    ["a domain with a scheme", () => tenantFromSubdomain({ domain: "https://example.com" }), "domain"],
    ["no domain", () => tenantFromSubdomain(undefined as never), "domain"],
  ])("refuses %s with a ConfigError naming it", (_name, make, variable) => {
    expect(thrownBy(make)).toMatchObject({ code: "CONFIG", variable });
  });
});
