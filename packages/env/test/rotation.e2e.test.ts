import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { OnceHubClient, resolveKeyProvider, type KeyProvider } from "@oncekey/core";
import { keyFingerprint, startSandbox, type Sandbox } from "@oncekey/sandbox";
import { dotenvSource, envSource, fromDotenv, fromEnv } from "../src/index.js";
import { eventLog, eventually, useTempDir } from "@oncekey/test-support";
import { keepReading } from "./helpers.js";

describe("key rotation end to end", () => {
  const dir = useTempDir();
  const clients: OnceHubClient[] = [];
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: false });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.requests.clear();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  const client = (keys: KeyProvider): OnceHubClient => {
    const made = new OnceHubClient({ keys, baseUrl: sandbox.baseUrl, ca: sandbox.ca, pacing: false });
    clients.push(made);
    dir.track(keys);
    return made;
  };
  const writeAtomically = async (path: string, content: string): Promise<void> => {
    await writeFile(`${path}.tmp`, content, { mode: 0o600 });
    await rename(`${path}.tmp`, path);
  };

  describe("when the .env file gets a new key and the old one is deleted afterwards", () => {
    it("moves every request to the new key with no failed call", async () => {
      const account = sandbox.accounts.create("rotate@example.com");
      const oldKey = account.key;
      const envFile = join(dir.path, ".env");
      await writeFile(envFile, `ONCEHUB_API_KEY=${oldKey}\n`, { mode: 0o600 });
      const { events, onEvent } = eventLog();
      const api = client(fromDotenv({ path: envFile, onEvent, debounceMs: 20, checkGit: false }));
      await expect(api.test()).resolves.toMatchObject({ account: "rotate@example.com" });

      const calls = keepReading(async () => {
        await api.test();
        return { reveal: () => sandbox.requests.last()?.fingerprint ?? "" };
      });
      const newKey = sandbox.keys.create(account.id, "rotated");
      let result;
      try {
        await writeAtomically(envFile, `ONCEHUB_API_KEY=${newKey}\n`);
        await eventually(() => events.some((e) => e.type === "key:rotated"), { what: "the rotation" });
        sandbox.keys.delete(oldKey);
        await eventually(
          () => sandbox.requests.count({ fingerprint: keyFingerprint(newKey), status: 200 }) >= 5,
          { what: "calls" },
        );
      } finally {
        result = await calls.stop();
      }
      const { failures, calls: made } = result;

      expect(failures).toEqual([]);
      expect(made).toBeGreaterThan(5);
      expect(sandbox.requests.count({ fingerprint: keyFingerprint(oldKey), status: 401 })).toBe(0);
      expect(sandbox.requests.last()?.fingerprint).toBe(keyFingerprint(newKey));
    });
  });

  describe("when the old key dies before the watcher notices the new file", () => {
    it("refetches on the 401, replays with the new key, and the caller sees no failure", async () => {
      const account = sandbox.accounts.create("regenerate@example.com");
      const oldKey = account.key;
      const envFile = join(dir.path, ".env");
      await writeFile(envFile, `ONCEHUB_API_KEY=${oldKey}\n`, { mode: 0o600 });
      // No watching: only the 401 can make the provider read the file again.
      const api = client(fromDotenv({ path: envFile, watch: false, checkGit: false }));
      await api.test();

      const newKey = sandbox.keys.regenerate(oldKey);
      await writeAtomically(envFile, `ONCEHUB_API_KEY=${newKey}\n`);
      await expect(api.test()).resolves.toMatchObject({ account: "regenerate@example.com" });

      const tail = sandbox.requests.all().slice(-2);
      expect(tail.map((r) => [r.fingerprint, r.status])).toEqual([
        [keyFingerprint(oldKey), 401],
        [keyFingerprint(newKey), 200],
      ]);
      expect(sandbox.keys.list(account.id)).toHaveLength(1);
    });
  });

  describe("when the key comes from the environment", () => {
    it("reads the new value after a 401 and replays", async () => {
      const { key: oldKey } = sandbox.accounts.create("env@example.com");
      const env: Record<string, string> = { ONCEHUB_API_KEY: oldKey };
      const api = client(fromEnv({ env }));
      await api.test();
      env.ONCEHUB_API_KEY = sandbox.keys.regenerate(oldKey);
      await expect(api.test()).resolves.toMatchObject({ account: "env@example.com" });
      expect(sandbox.requests.last()?.fingerprint).toBe(keyFingerprint(env.ONCEHUB_API_KEY));
    });
  });

  describe("when tenants keep their keys in one .env file, chosen by configuration", () => {
    it("serves each tenant its own account, and follows one tenant's rotation", async () => {
      const acme = sandbox.accounts.create("acme@example.com");
      const globex = sandbox.accounts.create("globex@example.com");
      const envFile = join(dir.path, "tenants.env");
      const lines = (acmeKey: string): string =>
        `ONCEHUB_API_KEY_ACME_EU=${acmeKey}\nONCEHUB_API_KEY_GLOBEX=${globex.key}\n`;
      await writeFile(envFile, lines(acme.key), { mode: 0o600 });
      const keys = resolveKeyProvider(
        {
          ONCEKEY_SOURCE: "dotenv,env",
          ONCEKEY_DOTENV_PATH: envFile,
          ONCEKEY_ENV_VAR: "ONCEHUB_API_KEY_{tenant}",
        },
        [envSource, dotenvSource],
      );
      const api = client(keys);
      await expect(api.forTenant("acme-eu").test()).resolves.toMatchObject({ account: "acme@example.com" });
      await expect(api.forTenant("globex").test()).resolves.toMatchObject({ account: "globex@example.com" });
      await expect(api.forTenant("acme_eu").test()).rejects.toMatchObject({ code: "INVALID_TENANT" });

      const acmeNew = sandbox.keys.regenerate(acme.key);
      await writeAtomically(envFile, lines(acmeNew));
      await expect(api.forTenant("acme-eu").test()).resolves.toMatchObject({ account: "acme@example.com" });
      expect(sandbox.requests.last()?.fingerprint).toBe(keyFingerprint(acmeNew));
    });
  });
});
