import { describe, expect, it } from "@jest/globals";
import { OnceHubClient, staticKey } from "@oncekey/core";
import { thrownBy } from "@oncekey/test-support";
import {
  oncehub,
  oncehubErrors,
  oncehubWebhook,
  tenantFromHeader,
  tenantFromParam,
  tenantFromSubdomain,
} from "../src/index.js";

const client = new OnceHubClient({ keys: staticKey("options-test-key") });

describe("the options of every export", () => {
  const cases: [name: string, make: () => unknown, variable: string, says: RegExp][] = [
    [
      "oncehub with a misspelt option",
      () => oncehub({ client, tenants: () => "a" } as never),
      "tenants",
      /Did you mean tenant\?/,
    ],
    ["oncehub without a client", () => oncehub({} as never), "client", /client must be an OnceHubClient/],
    [
      "oncehub with a key as client",
      () => oncehub({ client: "canary-ohk-7f3a9c2e5b1d" } as never),
      "client",
      /a string of 23 characters/,
    ],
    [
      "oncehub with a tenant that is no function",
      () => oncehub({ client, tenant: "acme" } as never),
      "tenant",
      /tenant must be a function/,
    ],
    [
      "oncehubWebhook with a misspelt option",
      () => oncehubWebhook({ secret: "s", toleranceSecond: 5 } as never),
      "toleranceSecond",
      /Did you mean toleranceSeconds\?/,
    ],
    ["oncehubWebhook with an empty secret", () => oncehubWebhook({ secret: "" }), "secret", /secret must be/],
    ["oncehubWebhook without options", () => oncehubWebhook(undefined as never), "secret", /secret must be/],
    [
      "oncehubWebhook with a negative tolerance",
      () => oncehubWebhook({ secret: "s", toleranceSeconds: -1 }),
      "toleranceSeconds",
      /from 0/,
    ],
    [
      "oncehubErrors with a misspelt option",
      () => oncehubErrors({ onServerFaults: () => {} } as never),
      "onServerFaults",
      /Did you mean onServerFault\?/,
    ],
    [
      "oncehubErrors with a hook that is no function",
      () => oncehubErrors({ onServerFault: true } as never),
      "onServerFault",
      /must be a function/,
    ],
    [
      "tenantFromHeader with a name that is no header",
      () => tenantFromHeader("x tenant"),
      "name",
      /HTTP header name/,
    ],
    [
      "tenantFromHeader with a misspelt option",
      () => tenantFromHeader("x-tenant", { require: false } as never),
      "require",
      /Did you mean required\?/,
    ],
    ["tenantFromParam with ':'", () => tenantFromParam(":tenant"), "name", /without ':'/],
    [
      "tenantFromSubdomain with a URL",
      () => tenantFromSubdomain({ domain: "https://example.com" }),
      "domain",
      /DNS name/,
    ],
    [
      "tenantFromSubdomain with a misspelt option",
      () => tenantFromSubdomain({ domian: "example.com" } as never),
      "domian",
      /Did you mean domain\?/,
    ],
  ];

  it.each(cases)("refuses %s with a ConfigError naming it", (_name, make, variable, says) => {
    const error = thrownBy(make);

    expect(error).toMatchObject({ code: "CONFIG", variable });
    expect((error as Error).message).toMatch(says);
  });
});
