import { describe, expect, it } from "@jest/globals";
import { fromAzureKeyVault } from "@oncekey/azure-keyvault";
import { keyFingerprint } from "@oncekey/sandbox";
import { eventually, useSandbox, useTempDir } from "@oncekey/test-support";
import { startCallingLoop } from "./support/calling-loop.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { useAzure } from "./support/use-azure.js";
import { readVaultSecret } from "./support/read-vault-secret.js";

const SECRET = "oncehub-api-key";

describe("oncekey rotate with the azure-keyvault source", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-rotate-vault-");
  const azure = useAzure(sandbox);

  /** The current key in the vault, and the configuration an app in Azure would have (the credential: managed identity). */
  async function setUp(): Promise<{ current: string; env: Record<string, string> }> {
    const current = sandbox().keys.create(sandbox().account.id, "current");
    azure().vault.setSecret(SECRET, current, { contentType: "text/plain", tags: { owner: "billing" } });
    return { current, env: await azure().env(SECRET, dir.path) };
  }

  /** The secret versions the command wrote: the vault's answered `PUT /secrets/{name}`. */
  const writes = (): number =>
    azure().vault.calls.count({ operation: "setSecret", secret: SECRET, status: 200 });

  const credential = {
    getToken: async () => ({ token: "app-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
  };

  it("writes a new secret version, and a running client moves over with no failed call", async () => {
    const { current, env } = await setUp();
    const keys = fromAzureKeyVault({
      vaultUrl: azure().vault.url,
      secretName: SECRET,
      credential,
      clientOptions: { tlsOptions: { ca: azure().vault.ca } },
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
      const source = `azure-keyvault:127.0.0.1:${new URL(azure().vault.url).port}/${SECRET}`;
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
      expect(await readVaultSecret(azure().vault, SECRET)).toEqual({
        value: newKey,
        version: (jsonOf(run).written as { version: string }).version,
        contentType: "text/plain",
        tags: { owner: "billing" },
      });
      expect(azure().identity.issued).toBeGreaterThan(0);

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
    const putsBefore = azure().vault.calls.count({ operation: "setSecret" });

    const run = await runCli(["rotate", "--json"], { env, stdin: other.key });

    expect(run.code).toBe(1);
    expect(jsonOf(run)).toMatchObject({ written: null, error: { code: "ACCOUNT_MISMATCH" } });
    expect(azure().vault.calls.count({ operation: "setSecret" })).toBe(putsBefore); // not even tried
  });

  it("refuses to write when the secret no longer holds the current key (another rotation meanwhile)", async () => {
    const { current, env } = await setUp();
    const newKey = sandbox().keys.create(sandbox().account.id, "mine");
    const theirs = sandbox().keys.create(sandbox().account.id, "theirs");
    const read = { operation: "getSecret", secret: SECRET, status: 200 } as const;
    const readsBefore = azure().vault.calls.count(read);
    const putsBefore = azure().vault.calls.count({ operation: "setSecret" });
    // The command has read the current key and planned where to write; another operator's rotation lands before
    // this one's new key is typed.
    const typed = (async () => {
      await eventually(() => azure().vault.calls.count(read) > readsBefore, {
        what: "the command reading the current key",
      });
      azure().vault.setSecret(SECRET, theirs, { contentType: "text/plain", tags: { owner: "billing" } });
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
    expect(azure().vault.calls.count({ operation: "setSecret" })).toBe(putsBefore);
    expect((await readVaultSecret(azure().vault, SECRET)).value).toBe(theirs);
  });
});
