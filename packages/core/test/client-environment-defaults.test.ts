import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { startSandbox, type Sandbox } from "@oncekey/sandbox";
import { thrownBy, withClient } from "@oncekey/test-support";
import { OnceHubClient, staticKey } from "../src/index.js";

let sandbox: Sandbox;
let dir: string;
let caFile: string;
const saved = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false });
  dir = await mkdtemp(join(tmpdir(), "oncekey-env-defaults-"));
  caFile = join(dir, "ca.pem");
  await writeFile(caFile, sandbox.ca);
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.env = { ...saved };
});

describe("a client built without baseUrl and ca", () => {
  it("uses ONCEHUB_BASE_URL and ONCEKEY_CA_FILE, as the sandbox tells the user to set them", async () => {
    process.env.ONCEHUB_BASE_URL = sandbox.baseUrl;
    process.env.ONCEKEY_CA_FILE = caFile;
    const { account } = await withClient({ keys: staticKey(sandbox.key), pacing: false }, (client) =>
      client.test(),
    );
    expect(account).toBe("admin@example.com");
  });

  it("lets explicit options win over the variables", async () => {
    process.env.ONCEHUB_BASE_URL = "https://api.oncehub.com/v2";
    const client = new OnceHubClient({
      keys: staticKey(sandbox.key),
      baseUrl: sandbox.baseUrl,
      ca: sandbox.ca,
    });
    try {
      expect(client.baseUrl).toBe(sandbox.baseUrl);
      await client.test();
    } finally {
      await client.close();
    }
  });

  it("uses OnceHub's base URL when neither is set", () => {
    delete process.env.ONCEHUB_BASE_URL;
    delete process.env.ONCEKEY_CA_FILE;
    const client = new OnceHubClient({ keys: staticKey(sandbox.key) });
    expect(client.baseUrl).toBe("https://api.oncehub.com/v2");
    void client.close();
  });

  it("names the variable when it is wrong", () => {
    process.env.ONCEHUB_BASE_URL = "http://127.0.0.1:1/v2";
    expect(thrownBy(() => new OnceHubClient({ keys: staticKey(sandbox.key) }))).toMatchObject({
      code: "CONFIG",
      variable: "ONCEHUB_BASE_URL",
    });
    process.env.ONCEHUB_BASE_URL = sandbox.baseUrl;
    process.env.ONCEKEY_CA_FILE = join(dir, "missing.pem");
    expect(thrownBy(() => new OnceHubClient({ keys: staticKey(sandbox.key) }))).toMatchObject({
      code: "CONFIG",
      variable: "ONCEKEY_CA_FILE",
    });
  });
});
