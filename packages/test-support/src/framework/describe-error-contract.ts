import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { OnceHubClientOptions } from "@oncekey/core";
import { fromFile } from "@oncekey/file";
import { CANARY_KEYS, holdsKey, startSandbox, type Sandbox } from "@oncekey/sandbox";
import type { AppAnswer } from "./app-caller.js";
import { createTenants } from "../tenants/create-tenants.js";
import { holdsStack } from "../holds-stack.js";
import { keyDirectory, writeKeyFile, type KeyDirectory } from "../tenants/key-directory.js";
import { sandboxTransportOptions, useSandbox } from "../use-sandbox.js";
import {
  CONTRACT_TENANT_DOMAIN,
  type FrameworkApp,
  type FrameworkHarness,
  type ServerFault,
} from "./framework-harness.js";

/**
 * How every framework integration answers oncekey errors, against its contract app: an unknown tenant is a 404
 * with the library's message; an invalid tenant id (`../x`, 300 characters, a line break, a bad host label, none)
 * is a 400 before any key is read; a key OnceHub refuses, a broken key file and a missing server key are answered
 * without details and reported in the server's log; OnceHub down is a 502, too slow a 504, rate limited a 503
 * with `Retry-After`; other errors are left to the app's own handler. No answer and no log line holds a stack or
 * a canary key.
 *
 * @param harness - The framework's {@link FrameworkHarness}.
 * @example
 * ```ts
 * // packages/nestjs/test/errors.test.ts
 * describeErrorContract(harness);
 * ```
 */
export function describeErrorContract(harness: FrameworkHarness): void {
  describe(harness.subjects.errors, () => {
    const sandbox = useSandbox();
    const opened: { close(): Promise<void> }[] = [];
    const apps: FrameworkApp[] = [];
    /** Everything any app answered in this block, checked at the end for stacks and canary keys. */
    const answers: AppAnswer[] = [];
    let dir: KeyDirectory;
    let running: FrameworkApp;

    /** Starts the contract app over a client of `options`' sandbox whose tenants' keys are files in `dir`. */
    async function start(
      options: Partial<OnceHubClientOptions> & Pick<OnceHubClientOptions, "baseUrl" | "ca">,
    ): Promise<FrameworkApp> {
      const app = await harness.start({
        client: {
          keys: fromFile({ path: join(dir.path, "{tenant}") }),
          pacing: false,
          retry: false,
          ...options,
        },
      });
      opened.push(app);
      apps.push(app);
      return app;
    }

    /** The answer to a request, and the server faults the app reported while it ran. */
    async function call(
      app: FrameworkApp,
      path: string,
      headers: Record<string, string> = {},
    ): Promise<{ answer: AppAnswer; faults: readonly ServerFault[] }> {
      const from = app.serverFaults().length;
      const answer = await app.call(path, { headers });
      answers.push(answer);
      return { answer, faults: app.serverFaults().slice(from) };
    }

    beforeAll(async () => {
      dir = await keyDirectory();
      await createTenants(sandbox(), dir.path, ["tenant-a"]);
      for (const [name, key] of Object.entries(CANARY_KEYS))
        await writeKeyFile(join(dir.path, `canary-${name}`), key);
      // A key with a space in it: the file is there, its content cannot be a key.
      await writeFile(join(dir.path, "broken"), `${CANARY_KEYS.dashed} ${CANARY_KEYS.hex}\n`, {
        mode: 0o600,
      });
      running = await start({ ...sandboxTransportOptions(sandbox()), retry: false });
    });

    afterAll(async () => {
      for (const answer of answers) {
        expect(holdsStack(answer.text)).toBe(false);
        for (const key of Object.values(CANARY_KEYS)) expect(holdsKey(answer.text, key)).toBe(false);
      }
      const logLines = apps.flatMap((app) => app.logLines);
      expect(logLines.length).toBeGreaterThan(0);
      for (const line of logLines) {
        expect(holdsStack(line)).toBe(false);
        for (const key of Object.values(CANARY_KEYS)) expect(holdsKey(line, key)).toBe(false);
      }
      for (const resource of opened.reverse()) await resource.close();
      await dir.remove();
    });

    describe("when a tenant has no key", () => {
      it("answers 404 with the library's message, which does not say where the source looked", async () => {
        const { answer } = await call(running, "/h/account", { "x-tenant": "ghost" });

        expect(answer.status).toBe(404);
        expect(answer.json).toEqual({
          error: {
            code: "KEY_NOT_FOUND",
            message: 'No OnceHub API key is configured for the tenant "ghost".',
          },
        });
        expect(answer.text).not.toContain(dir.path);
      });
    });

    describe("when the tenant id is invalid", () => {
      const cases: [name: string, path: string, headers: Record<string, string>][] = [
        ["'../x' in the header", "/h/account", { "x-tenant": "../x" }],
        ["300 characters in the header", "/h/account", { "x-tenant": "t".repeat(300) }],
        ["a line break in the route", "/p/tenants/a%0Ab/account", {}],
        ["'../x' in the route", "/p/tenants/..%2Fx/account", {}],
        ["a host label starting with '-'", "/s/account", { host: `-x.${CONTRACT_TENANT_DOMAIN}` }],
        ["no tenant at all", "/h/account", {}],
      ];

      it.each(cases)("answers %s with 400 before any key is read", async (_name, path, headers) => {
        sandbox().requests.clear();

        const { answer } = await call(running, path, headers);

        expect(answer.status).toBe(400);
        expect(answer.json).toEqual({
          error: { code: "INVALID_TENANT", message: expect.stringMatching(/tenant/) },
        });
        expect(sandbox().requests.size).toBe(0);
      });
    });

    describe("when OnceHub refuses a tenant's key", () => {
      it.each(Object.keys(CANARY_KEYS))(
        "answers 502 without the key, and reports the library's message (%s)",
        async (name) => {
          const { answer, faults } = await call(running, "/h/account", { "x-tenant": `canary-${name}` });

          expect(answer.status).toBe(502);
          expect(answer.json).toEqual({
            error: { code: "AUTHENTICATION", message: expect.stringContaining("server's log") },
          });
          expect(faults).toEqual([
            { code: "AUTHENTICATION", message: expect.stringMatching(/^OnceHub rejected the API key/) },
          ]);
        },
      );
    });

    describe("when the server itself is misconfigured", () => {
      it("answers a key file that holds no valid key with 500, the details only in the log", async () => {
        const { answer, faults } = await call(running, "/h/account", { "x-tenant": "broken" });

        expect(answer.status).toBe(500);
        expect(answer.json).toEqual({
          error: { code: "KEY_FORMAT", message: expect.stringContaining("server's log") },
        });
        expect(faults).toEqual([{ code: "KEY_FORMAT", message: expect.stringMatching(/broken/) }]);
      });

      it("answers a request without tenant, when the server has no key of its own, with 500", async () => {
        const { answer, faults } = await call(running, "/own/account");

        expect(answer.status).toBe(500);
        expect(answer.json).toMatchObject({ error: { code: "KEY_NOT_FOUND" } });
        expect(faults).toEqual([{ code: "KEY_NOT_FOUND", message: expect.stringMatching(/\S/) }]);
      });
    });

    describe("when OnceHub is down", () => {
      let down: Sandbox;
      let app: FrameworkApp;
      beforeAll(async () => {
        down = await startSandbox({ rateLimit: false });
        await createTenants(down, dir.path, ["tenant-down"]);
        app = await start({ baseUrl: down.baseUrl, ca: down.ca });
        await down.close();
      });

      it("answers 502 with the library's message", async () => {
        const { answer } = await call(app, "/h/account", { "x-tenant": "tenant-down" });

        expect(answer.status).toBe(502);
        expect(answer.json).toEqual({ error: { code: "NETWORK", message: expect.stringMatching(/\S/) } });
      });
    });

    describe("when OnceHub does not answer in time", () => {
      let app: FrameworkApp;
      beforeAll(async () => {
        app = await start({
          ...sandboxTransportOptions(sandbox()),
          retry: false,
          timeouts: { headersMs: 300 },
        });
      });

      it("answers 504 with the library's message", async () => {
        sandbox().faults.inject({ kind: "delay", ms: 3_000, path: "/v2/test" });

        const { answer } = await call(app, "/h/account", { "x-tenant": "tenant-a" });

        expect(answer.status).toBe(504);
        expect(answer.json).toEqual({ error: { code: "TIMEOUT", message: expect.stringMatching(/\S/) } });
      });
    });

    describe("when OnceHub's rate limit is exceeded and the client does not retry", () => {
      let limited: Sandbox;
      let app: FrameworkApp;
      beforeAll(async () => {
        limited = await startSandbox({ rateLimit: { requestsPerSecond: 1, burst: 1 }, retryAfter: true });
        opened.push(limited);
        await createTenants(limited, dir.path, ["tenant-limited"]);
        app = await start({ baseUrl: limited.baseUrl, ca: limited.ca });
      });

      it("answers 503 with Retry-After", async () => {
        const burst = await Promise.all(
          Array.from({ length: 4 }, () => call(app, "/h/account", { "x-tenant": "tenant-limited" })),
        );

        const refused = burst.map(({ answer }) => answer).filter((answer) => answer.status !== 200);
        expect(refused.length).toBeGreaterThan(0);
        for (const answer of refused) {
          expect(answer.status).toBe(503);
          expect(Number(answer.headers["retry-after"])).toBeGreaterThanOrEqual(1);
          expect(answer.json).toEqual({
            error: { code: "RATE_LIMIT", message: expect.stringMatching(/\S/) },
          });
        }
      });
    });

    describe("when the error is not oncekey's", () => {
      it("leaves it to the app's own handler", async () => {
        const { answer } = await call(running, "/boom");

        expect(answer.status).toBe(500);
        expect(answer.json).toEqual({ handledBy: "app" });
      });
    });
  });
}
