import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { OnceHubClient } from "@oncekey/core";
import { rejectionOf, sandboxClientOptions, useSandbox } from "@oncekey/test-support";
import Fastify, { type FastifyInstance } from "fastify";
import { oncehubPlugin, tenantFromHeader } from "../src/index.js";
import { listen, type RunningApp } from "./harness.js";

const sandbox = useSandbox();
const warnings: Error[] = [];
const onWarning = (warning: Error): void => void warnings.push(warning);
beforeEach(() => {
  warnings.length = 0;
  process.on("warning", onWarning);
});
afterEach(() => {
  process.off("warning", onWarning);
});

/** An app whose `/account` reads `request.oncehub` and whose `/boom` throws an error of its own. */
async function appWith(
  client: OnceHubClient,
  setUp: (app: FastifyInstance, register: () => PromiseLike<unknown>) => Promise<void>,
): Promise<RunningApp> {
  const app = Fastify({ allowErrorHandlerOverride: false });
  await setUp(app, () => app.register(oncehubPlugin, { client, tenant: tenantFromHeader("x-tenant") }));
  app.get("/account", (request) => request.oncehub.test());
  app.get("/boom", async () => {
    throw new Error("not an oncekey error");
  });
  app.get("/health", async () => ({ ok: true }));
  return listen(app);
}

describe("oncehubPlugin", () => {
  describe("when the app closes", () => {
    it("closes the client", async () => {
      const client = new OnceHubClient(sandboxClientOptions(sandbox()));
      const running = await appWith(client, async (_app, register) => void (await register()));

      expect(running.app.oncehub).toBe(client);
      expect((await running.call("/account", { headers: { "x-tenant": "x" } })).status).toBe(404);
      expect(await client.test()).toMatchObject({ account: "admin@example.com" });

      await running.close();

      expect(await rejectionOf(client.test())).toMatchObject({
        code: "NETWORK",
        message: expect.stringContaining("closed"),
      });
    });
  });

  describe.each([
    ["before registering it", true],
    ["after registering it", false],
  ])("when the app sets its own error handler at the same level %s", (_when, first) => {
    it("answers oncekey errors, hands every other error to the app's handler, and warns of nothing", async () => {
      const client = new OnceHubClient(sandboxClientOptions(sandbox()));
      const mine = (
        _error: unknown,
        _request: unknown,
        reply: { code(n: number): { send(b: unknown): unknown } },
      ) => reply.code(418).send({ handledBy: "app" });
      const running = await appWith(client, async (app, register) => {
        if (first) app.setErrorHandler(mine);
        await register();
        if (!first) app.setErrorHandler(mine);
      });

      const invalid = await running.call("/account", { headers: { "x-tenant": "../x" } });
      const other = await running.call("/boom");
      await running.close();

      expect([invalid.status, invalid.json]).toEqual([
        400,
        { error: { code: "INVALID_TENANT", message: expect.stringMatching(/Invalid tenant id/) } },
      ]);
      expect([other.status, other.json]).toEqual([418, { handledBy: "app" }]);
      expect(warnings).toEqual([]);
    });
  });

  describe("when a route never reads request.oncehub", () => {
    it("does not fail on a bad tenant id", async () => {
      const client = new OnceHubClient(sandboxClientOptions(sandbox()));
      const running = await appWith(client, async (_app, register) => void (await register()));

      const answer = await running.call("/health", { headers: { "x-tenant": "../x" } });
      await running.close();

      expect(answer.json).toEqual({ ok: true });
    });
  });
});
