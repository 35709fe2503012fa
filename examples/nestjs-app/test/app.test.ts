import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { keyFingerprint, startSandbox, type Sandbox } from "@oncekey/sandbox";
import { request } from "undici";
import { runApp, runToEnd, type RunningApp } from "./run-app.js";

const MAIN = join(__dirname, "..", "dist", "main.js");
const SECRET = "whsec-example-3f9a";

let sandbox: Sandbox;
let dir: string;
let env: Record<string, string>;
let app: RunningApp;
const tenants: Record<string, { email: string; key: string }> = {};

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await request(`${app.url}${path}`);
  return { status: response.statusCode, body: await response.body.json() };
}

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false, bookings: 4 });
  dir = await mkdtemp(join(tmpdir(), "oncekey-nestjs-app-"));
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
    ONCEHUB_HEALTH_TENANT: "acme",
    PORT: "0",
  };
  app = await runApp(MAIN, env);
});

afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the NestJS example app, built and run as a process", () => {
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

    expect([good.status, bad.status]).toEqual([200, 400]);
    expect(app.lines).toContain(JSON.stringify({ received: "booking.scheduled", id: good.event.id }));
    expect(app.lines.join("\n")).not.toContain("booking.canceled");
  });

  it("reports OnceHub's health through terminus", async () => {
    expect(await get("/health")).toMatchObject({
      status: 200,
      body: { status: "ok", info: { oncehub: { status: "up", account: "acme@example.com" } } },
    });
  });

  it("closes the client on SIGTERM and ends by itself, having printed no key", async () => {
    const ended = await app.stop();

    expect(ended).toEqual({ code: 0, signal: null });
    expect(app.lines.at(-1)).toBe(JSON.stringify({ closed: "OnceHub client" }));
    for (const { key } of Object.values(tenants)) expect(app.lines.join("\n")).not.toContain(key);
  });

  it("refuses a bad configuration at start-up, before any request", async () => {
    sandbox.requests.clear();

    const refused = await runToEnd(MAIN, { ...env, ONCEKEY_SOURCE: "file,vault" });

    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/^CONFIG: .*vault/);
    expect(sandbox.requests.size).toBe(0);
  });
});
