import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { OnceHubClient, type OnceKeyEvent } from "@oncekey/core";
import { startSandbox, type Sandbox } from "@oncekey/sandbox";
import { dotenvSource, envSource, fromDotenv, fromEnv } from "../src/index.js";
import { useTempDir } from "@oncekey/test-support";

// The README's examples, pointed at the sandbox instead of api.oncehub.com.
describe("README examples", () => {
  let sandbox: Sandbox;
  const dir = useTempDir();
  const savedKey = process.env.ONCEHUB_API_KEY;

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: false });
  });
  afterAll(async () => {
    if (savedKey === undefined) delete process.env.ONCEHUB_API_KEY;
    else process.env.ONCEHUB_API_KEY = savedKey;
    await sandbox.close();
  });

  it("from the environment", async () => {
    process.env.ONCEHUB_API_KEY = sandbox.key;
    const client = new OnceHubClient({ keys: fromEnv(), baseUrl: sandbox.baseUrl, ca: sandbox.ca });
    const { account } = await client.test();
    await client.close();
    expect(account).toBe("admin@example.com");
  });

  it("one key per tenant", async () => {
    const acme = sandbox.accounts.create("acme@example.com");
    const keys = fromEnv({
      variable: "ONCEHUB_API_KEY_{tenant}",
      env: { ONCEHUB_API_KEY_ACME_EU: acme.key },
    });
    const client = new OnceHubClient({ keys, baseUrl: sandbox.baseUrl, ca: sandbox.ca });
    await expect(client.forTenant("acme-eu").test()).resolves.toMatchObject({ account: "acme@example.com" });
    await client.close();
  });

  it("a one-to-one tenantToVariable", async () => {
    const keys = fromEnv({
      variable: "ONCEHUB_API_KEY_{tenant}",
      env: { ONCEHUB_API_KEY_ACME__EU: "underscore", ONCEHUB_API_KEY_ACME_EU: "dash" },
      tenantToVariable: (tenant) =>
        `ONCEHUB_API_KEY_${tenant.toUpperCase().replaceAll("_", "__").replaceAll("-", "_")}`,
    });
    expect((await keys.getKey({ tenant: "acme_eu" })).source).toBe("env:ONCEHUB_API_KEY_ACME__EU");
    expect((await keys.getKey({ tenant: "acme-eu" })).source).toBe("env:ONCEHUB_API_KEY_ACME_EU");
  });

  it("from .env files", async () => {
    await writeFile(join(dir.path, ".env.local"), `ONCEHUB_API_KEY=${sandbox.key}\n`);
    await writeFile(join(dir.path, ".env"), "ONCEHUB_API_KEY=unused\n", { mode: 0o600 });
    const warnings: string[] = [];
    const cwd = process.cwd();
    process.chdir(dir.path);
    let keys;
    try {
      keys = fromDotenv({
        path: [".env.local", ".env"],
        onEvent: (event: OnceKeyEvent) => {
          if (event.type === "key:warning") warnings.push(event.code);
        },
      });
    } finally {
      process.chdir(cwd);
    }
    const client = new OnceHubClient({ keys, baseUrl: sandbox.baseUrl, ca: sandbox.ca });
    await client.test();
    await client.close();
    await keys.close?.();
    expect((await keys.getKey()).source).toBe("dotenv:.env.local#ONCEHUB_API_KEY");
    expect(warnings).toEqual(["FILE_PERMISSIONS"]);
  });

  it("chosen by configuration", async () => {
    const caFile = join(dir.path, "ca.pem");
    await writeFile(caFile, sandbox.ca);
    await writeFile(join(dir.path, "oncehub.env"), `ONCEHUB_API_KEY=${sandbox.key}\n`, { mode: 0o600 });
    const env = {
      ONCEKEY_SOURCE: "dotenv,env",
      ONCEKEY_DOTENV_PATH: join(dir.path, "oncehub.env"),
      ONCEHUB_BASE_URL: sandbox.baseUrl,
      ONCEKEY_CA_FILE: caFile,
    };
    const client = OnceHubClient.fromEnvironment({ sources: [envSource, dotenvSource], env });
    await expect(client.test()).resolves.toMatchObject({ account: "admin@example.com" });
    await client.close();
  });
});
