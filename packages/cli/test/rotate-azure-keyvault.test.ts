import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { fromAzureKeyVault } from "@oncekey/azure-keyvault";
import { keyFingerprint, startFakeKeyVault, type FakeKeyVault } from "@oncekey/sandbox";
import { eventually, useSandbox, useTempDir } from "@oncekey/test-support";
import { startCallingLoop } from "./support/calling-loop.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { startIdentityEndpoint, type IdentityEndpoint } from "./support/identity-endpoint.js";
import { readVaultSecret } from "./support/read-vault-secret.js";

const SECRET = "oncehub-api-key";

describe("oncekey rotate with the azure-keyvault source", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-rotate-vault-");
  let vault: FakeKeyVault;
  let identity: IdentityEndpoint;

  beforeAll(async () => {
    [vault, identity] = await Promise.all([startFakeKeyVault(), startIdentityEndpoint()]);
  });
  afterAll(async () => {
    await Promise.all([vault.close(), identity.close()]);
  });

  /** The current key in the vault, and the configuration an app in Azure would have (the credential: managed identity). */
  async function setUp(): Promise<{ current: string; env: Record<string, string> }> {
    const current = sandbox().keys.create(sandbox().account.id, "current");
    vault.setSecret(SECRET, current, { contentType: "text/plain", tags: { owner: "billing" } });
    // One CA file for both: the sandbox standing in for OnceHub and the vault.
    const caFile = join(dir.path, "ca.pem");
    await writeFile(caFile, `${sandbox().ca}\n${vault.ca}`);
    return {
      current,
      env: {
        ...identity.env,
        ONCEKEY_SOURCE: "azure-keyvault",
        ONCEKEY_KEYVAULT_URL: vault.url,
        ONCEKEY_KEYVAULT_SECRET: SECRET,
        ONCEHUB_BASE_URL: sandbox().baseUrl,
        ONCEKEY_CA_FILE: caFile,
      },
    };
  }

  /** The secret versions the command wrote: the vault's answered `PUT /secrets/{name}`. */
  const writes = (): number => vault.calls.count({ operation: "setSecret", secret: SECRET, status: 200 });

  const credential = {
    getToken: async () => ({ token: "app-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
  };

  it("writes a new secret version, and a running client moves over with no failed call", async () => {
    const { current, env } = await setUp();
    const keys = fromAzureKeyVault({
      vaultUrl: vault.url,
      secretName: SECRET,
      credential,
      clientOptions: { tlsOptions: { ca: vault.ca } },
      // The app follows new versions on its own; without it, it would move over at the old key's first 401.
      refreshAheadMs: 200,
    });
    const loop = startCallingLoop(dir.track(keys), sandbox());
    const writesBefore = writes();
    try {
      await eventually(() => loop.fingerprints.includes(keyFingerprint(current)), {
        what: "a call with the old key",
      });
      const newKey = sandbox().keys.create(sandbox().account.id, "rotated");

      const run = await runCli(["rotate", "--json"], { env, stdin: `${newKey}\n` });

      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const source = `azure-keyvault:127.0.0.1:${new URL(vault.url).port}/${SECRET}`;
      expect(jsonOf(run)).toMatchObject({
        ok: true,
        source,
        fingerprint: keyFingerprint(newKey),
        previousFingerprint: keyFingerprint(current),
        written: {
          kind: "azure-keyvault",
          location: source,
          version: expect.stringMatching(/^[0-9a-f]{32}$/),
        },
      });
      expect(writes()).toBe(writesBefore + 1);
      // Where the app finds it: the latest version, with the content type and tags the old one had.
      expect(await readVaultSecret(vault, SECRET)).toEqual({
        value: newKey,
        version: (jsonOf(run).written as { version: string }).version,
        contentType: "text/plain",
        tags: { owner: "billing" },
      });
      expect(identity.issued).toBeGreaterThan(0);

      await eventually(() => loop.fingerprints.includes(keyFingerprint(newKey)), {
        what: "a call with the new key",
      });
      sandbox().keys.delete(current);
      const callsAtDelete = loop.calls;
      await eventually(() => loop.calls >= callsAtDelete + 5, { what: "five more calls" });
    } finally {
      expect(await loop.stop()).toEqual([]);
    }
  });

  it("refuses a key of another account, writing no version", async () => {
    const { env } = await setUp();
    const other = sandbox().accounts.create("elsewhere@example.com");
    const putsBefore = vault.calls.count({ operation: "setSecret" });

    const run = await runCli(["rotate", "--json"], { env, stdin: other.key });

    expect(run.code).toBe(1);
    expect(jsonOf(run)).toMatchObject({ written: null, error: { code: "ACCOUNT_MISMATCH" } });
    expect(vault.calls.count({ operation: "setSecret" })).toBe(putsBefore); // not even tried
  });

  it("refuses to write when the secret no longer holds the current key (another rotation meanwhile)", async () => {
    const { current, env } = await setUp();
    const newKey = sandbox().keys.create(sandbox().account.id, "mine");
    const theirs = sandbox().keys.create(sandbox().account.id, "theirs");
    const read = { operation: "getSecret", secret: SECRET, status: 200 } as const;
    const readsBefore = vault.calls.count(read);
    const putsBefore = vault.calls.count({ operation: "setSecret" });
    // The command has read the current key and planned where to write; another operator's rotation lands before
    // this one's new key is typed.
    const typed = (async () => {
      await eventually(() => vault.calls.count(read) > readsBefore, {
        what: "the command reading the current key",
      });
      vault.setSecret(SECRET, theirs, { contentType: "text/plain", tags: { owner: "billing" } });
      return `${newKey}\n`;
    })();

    const run = await runCli(["rotate", "--json"], { env, stdin: typed });

    expect(run.code).toBe(1);
    expect(jsonOf(run)).toMatchObject({
      ok: false,
      previousFingerprint: keyFingerprint(current),
      written: null,
      error: { code: "WRITE_FAILED", message: expect.stringContaining("changed meanwhile") },
    });
    expect(vault.calls.count({ operation: "setSecret" })).toBe(putsBefore);
    expect((await readVaultSecret(vault, SECRET)).value).toBe(theirs);
  });
});
