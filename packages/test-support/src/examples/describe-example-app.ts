import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { keyFingerprint, startSandbox, type Sandbox } from "@oncekey/sandbox";
import { request } from "undici";
import { runApp, runToEnd, type RunningExample } from "./run-app.js";

const SECRET = "whsec-example-3f9a";

/** What {@link describeExampleApp} gives an example's own tests while its app runs. */
export interface ExampleAppContext {
  readonly sandbox: Sandbox;
  readonly app: RunningExample;
  /** `GET <path>` from the app, its body parsed as JSON. */
  get(path: string): Promise<{ status: number; body: unknown }>;
}

/** Options of {@link describeExampleApp}. */
export interface DescribeExampleAppOptions {
  /** The framework, as the title names it: `the <framework> example app, built and run as a process`. */
  readonly framework: string;
  /** The built app's entry file. */
  readonly main: string;
  /** The status the app answers an accepted webhook delivery with. @defaultValue 200 */
  readonly webhookStatus?: number;
  /** Environment variables this app reads besides the shared ones. @defaultValue {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Declares this app's own tests, which run while it runs, after the shared ones and before it stops. */
  readonly whileRunning?: (context: () => ExampleAppContext) => void;
}

/**
 * What every framework's example app must show, run as a process over a sandbox with two tenants (`acme`,
 * `globex`, one key file each): each tenant's requests reach OnceHub with its own key, an unknown tenant is a 404
 * and an invalid one a 400, signed webhook deliveries are taken and others refused, SIGTERM closes the client and
 * ends the process having printed no key, and a bad configuration is refused at start-up before any request.
 *
 * The app reads `ONCEKEY_SOURCE=file`, `ONCEKEY_FILE_PATH`, `ONCEHUB_BASE_URL`, `ONCEKEY_CA_FILE`,
 * `ONCEHUB_WEBHOOK_SECRET` and `PORT`, serves `GET /tenants/:tenant/account` and `GET /tenants/:tenant/bookings`,
 * takes deliveries at `POST /webhooks/oncehub`, and prints JSON lines: `{ listening }`, `{ received, id }`,
 * `{ closed: "OnceHub client" }` last.
 *
 * @param options - {@link DescribeExampleAppOptions}.
 * @example
 * ```ts
 * describeExampleApp({ framework: "Fastify", main: join(__dirname, "..", "dist", "main.js"), webhookStatus: 204 });
 * ```
 */
export function describeExampleApp({
  framework,
  main,
  webhookStatus = 200,
  env: ownEnv = {},
  whileRunning,
}: DescribeExampleAppOptions): void {
  describe(`the ${framework} example app, built and run as a process`, () => {
    let sandbox: Sandbox;
    let dir: string;
    let env: Record<string, string>;
    let app: RunningExample;
    const tenants: Record<string, { email: string; key: string }> = {};

    async function get(path: string): Promise<{ status: number; body: unknown }> {
      const response = await request(`${app.url}${path}`);
      return { status: response.statusCode, body: await response.body.json() };
    }

    beforeAll(async () => {
      sandbox = await startSandbox({ rateLimit: false, bookings: 4 });
      dir = await mkdtemp(join(tmpdir(), `oncekey-${framework.toLowerCase()}-app-`));
      for (const tenant of ["acme", "globex"]) {
        tenants[tenant] = sandbox.accounts.create(`${tenant}@example.com`);
        await writeFile(join(dir, tenant), `${tenants[tenant]?.key}\n`, { mode: 0o600 });
      }
      await writeFile(join(dir, "ca.pem"), sandbox.ca);
      env = {
        ONCEKEY_SOURCE: "file",
        ONCEKEY_FILE_PATH: join(dir, "{tenant}"),
        ONCEHUB_BASE_URL: sandbox.baseUrl,
        ONCEKEY_CA_FILE: join(dir, "ca.pem"),
        ONCEHUB_WEBHOOK_SECRET: SECRET,
        ...ownEnv,
        PORT: "0",
      };
      app = await runApp(main, env);
    });

    afterAll(async () => {
      // Stopped by its test; this only ends a process that an earlier failure left running.
      await app?.stop();
      await sandbox?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it("calls OnceHub with each tenant's own key", async () => {
      sandbox.requests.clear();

      const acme = await get("/tenants/acme/account");
      const globex = await get("/tenants/globex/bookings");

      expect(acme).toEqual({ status: 200, body: { tenant: "acme", account: "acme@example.com" } });
      expect(globex).toMatchObject({ status: 200, body: { tenant: "globex", bookings: expect.any(Array) } });
      expect((globex.body as { bookings: string[] }).bookings).toHaveLength(4);
      expect(sandbox.requests.all().map((entry) => entry.fingerprint)).toEqual([
        keyFingerprint(tenants.acme?.key ?? ""),
        keyFingerprint(tenants.globex?.key ?? ""),
      ]);
    });

    it("answers an unknown tenant with 404 and an invalid one with 400", async () => {
      expect(await get("/tenants/nobody/account")).toMatchObject({
        status: 404,
        body: { error: { code: "KEY_NOT_FOUND" } },
      });
      expect(await get("/tenants/..%2Fx/account")).toMatchObject({
        status: 400,
        body: { error: { code: "INVALID_TENANT" } },
      });
    });

    it("takes signed webhook deliveries and refuses the others", async () => {
      const good = await sandbox.sendWebhook(`${app.url}/webhooks/oncehub`, "booking.scheduled", SECRET);
      const bad = await sandbox.sendWebhook(
        `${app.url}/webhooks/oncehub`,
        "booking.canceled",
        "not-the-secret",
      );

      expect([good.status, bad.status]).toEqual([webhookStatus, 400]);
      expect(app.lines).toContain(JSON.stringify({ received: "booking.scheduled", id: good.event.id }));
      expect(app.lines.join("\n")).not.toContain("booking.canceled");
    });

    whileRunning?.(() => ({ sandbox, app, get }));

    it("closes the client on SIGTERM and ends by itself, having printed no key", async () => {
      const ended = await app.stop();

      expect(ended).toEqual({ code: 0, signal: null });
      expect(app.lines.at(-1)).toBe(JSON.stringify({ closed: "OnceHub client" }));
      for (const { key } of Object.values(tenants)) expect(app.lines.join("\n")).not.toContain(key);
    });

    it("refuses a bad configuration at start-up, before any request", async () => {
      sandbox.requests.clear();

      const refused = await runToEnd(main, { ...env, ONCEKEY_SOURCE: "file,vault" });

      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/^CONFIG: .*vault/);
      expect(sandbox.requests.size).toBe(0);
    });
  });
}
