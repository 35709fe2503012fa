import { afterAll, describe, expect, it } from "@jest/globals";
import { OnceHubClient, staticKey } from "@oncekey/core";
import { rejectionOf } from "@oncekey/test-support";
import Fastify from "fastify";
import { oncehubPlugin, oncehubWebhook } from "../src/index.js";

const client = new OnceHubClient({ keys: staticKey("options-test-key") });
afterAll(() => client.close());

/** What registering `plugin` with `options` on a fresh app rejects with. */
async function registering(register: (app: ReturnType<typeof Fastify>) => unknown): Promise<unknown> {
  const app = Fastify();
  try {
    return await rejectionOf(
      (async () => {
        await register(app);
        await app.ready();
      })(),
    );
  } finally {
    await app.close();
  }
}

describe("the plugins' options", () => {
  const cases: [
    name: string,
    register: (app: ReturnType<typeof Fastify>) => unknown,
    variable: string,
    says: RegExp,
  ][] = [
    [
      "oncehubPlugin with a misspelt option",
      (app) => app.register(oncehubPlugin, { client, tenants: () => "a" } as never),
      "tenants",
      /Did you mean tenant\?/,
    ],
    [
      "oncehubPlugin without a client",
      (app) => app.register(oncehubPlugin, {} as never),
      "client",
      /client must be an OnceHubClient/,
    ],
    [
      "oncehubPlugin with a tenant that is no function",
      (app) => app.register(oncehubPlugin, { client, tenant: "acme" } as never),
      "tenant",
      /tenant must be a function/,
    ],
    [
      "oncehubWebhook without a path",
      (app) => app.register(oncehubWebhook, { secret: "s", handler: () => {} } as never),
      "path",
      /path must be the route's path/,
    ],
    [
      "oncehubWebhook without a handler",
      (app) => app.register(oncehubWebhook, { path: "/h", secret: "s" } as never),
      "handler",
      /handler is required/,
    ],
    [
      "oncehubWebhook with an empty secret",
      (app) => app.register(oncehubWebhook, { path: "/h", secret: "", handler: () => {} }),
      "secret",
      /secret must be/,
    ],
    [
      "oncehubWebhook with a misspelt option",
      (app) =>
        app.register(oncehubWebhook, {
          path: "/h",
          secret: "s",
          handler: () => {},
          toleranceSecond: 1,
        } as never),
      "toleranceSecond",
      /Did you mean toleranceSeconds\?/,
    ],
  ];

  it.each(cases)("refuses %s with a ConfigError naming it", async (_name, register, variable, says) => {
    const error = await registering(register);

    expect(error).toMatchObject({ code: "CONFIG", variable });
    expect((error as Error).message).toMatch(says);
  });

  it("accepts Fastify's own register options", async () => {
    const app = Fastify();
    await app.register(oncehubWebhook, {
      path: "/h",
      secret: "s",
      handler: () => {},
      prefix: "/hooks",
      logLevel: "warn",
    });
    await app.register(oncehubPlugin, { client, prefix: "/x" });
    await app.ready();

    expect(app.hasRoute({ method: "POST", url: "/hooks/h" })).toBe(true);
    await app.close();
  });
});
