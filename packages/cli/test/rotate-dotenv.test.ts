import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { parse } from "dotenv";
import { fromDotenv } from "@oncekey/env";
import { keyFingerprint } from "@oncekey/sandbox";
import { eventually, useSandbox, useTempDir } from "@oncekey/test-support";
import { startCallingLoop } from "./support/calling-loop.js";
import { jsonOf, runCli } from "./support/cli-process.js";

/** A `.env` file as people write them: comments, `export`, quotes of every kind, other variables, a CRLF line. */
function dotenvFile(key: string): string {
  return [
    "# Production settings for the booking sync",
    'export DATABASE_URL="postgres://sync:secret@db.internal/sync" # primary',
    "",
    `ONCEHUB_API_KEY='${key}'   # rotated by ops, see the runbook`,
    'GREETING="hello\\nworld"',
    'MULTILINE="first line',
    'second line"',
    "export PLAIN=just a value",
    "EMPTY=",
    "WINDOWS_LINE=ends with crlf\r",
    "ONCEHUB_API_KEY_ACME=not-the-one-we-rotate",
    "",
  ].join("\n");
}

describe("oncekey rotate with the dotenv source", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-rotate-dotenv-");

  async function setUp(): Promise<{ path: string; current: string; env: Record<string, string> }> {
    const current = sandbox().keys.create(sandbox().account.id, "current");
    const path = join(dir.path, ".env");
    await writeFile(path, dotenvFile(current), { mode: 0o600 });
    const caFile = join(dir.path, "ca.pem");
    await writeFile(caFile, sandbox().ca);
    return {
      path,
      current,
      env: {
        ONCEKEY_SOURCE: "dotenv",
        ONCEKEY_DOTENV_PATH: path,
        ONCEHUB_BASE_URL: sandbox().baseUrl,
        ONCEKEY_CA_FILE: caFile,
      },
    };
  }

  it("rewrites the one value, every other byte kept, and a running client moves over with no failed call", async () => {
    const { path, current, env } = await setUp();
    const before = await readFile(path, "utf8");
    const loop = startCallingLoop(dir.track(fromDotenv({ path, checkGit: false })), sandbox());
    try {
      await eventually(() => loop.fingerprints.includes(keyFingerprint(current)), {
        what: "a call with the old key",
      });
      const newKey = sandbox().keys.create(sandbox().account.id, "rotated");

      const run = await runCli(["rotate", "--json"], { env, stdin: newKey });

      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(jsonOf(run)).toMatchObject({
        ok: true,
        source: `dotenv:${path}#ONCEHUB_API_KEY`,
        fingerprint: keyFingerprint(newKey),
        previousFingerprint: keyFingerprint(current),
        written: { kind: "dotenv", location: `dotenv:${path}#ONCEHUB_API_KEY` },
      });
      const after = await readFile(path, "utf8");
      expect(after).toBe(before.replace(current, newKey));
      expect(parse(after)).toEqual({ ...parse(before), ONCEHUB_API_KEY: newKey });
      expect((await stat(path)).mode & 0o777).toBe(0o600);

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

  it("refuses a key of another account with the file untouched, bytes and time", async () => {
    const { path, env } = await setUp();
    const other = sandbox().accounts.create("someone-else@example.com");
    const before = await readFile(path);
    const { mtimeMs } = await stat(path);

    const run = await runCli(["rotate", "--json"], { env, stdin: `${other.key}\n` });

    expect(run.code).toBe(1);
    expect(jsonOf(run)).toMatchObject({ written: null, error: { code: "ACCOUNT_MISMATCH" } });
    expect((await readFile(path)).equals(before)).toBe(true);
    expect((await stat(path)).mtimeMs).toBe(mtimeMs);
  });

  it("rotates a tenant's variable, leaving the other keys alone", async () => {
    const { path, current, env } = await setUp();
    const acme = sandbox().accounts.create("acme@example.com");
    const acmeNext = sandbox().keys.create(acme.id, "next");
    await writeFile(path, dotenvFile(current).replace("not-the-one-we-rotate", acme.key), { mode: 0o600 });
    const before = await readFile(path, "utf8");

    const run = await runCli(["rotate", "--tenant", "acme", "--json"], {
      env: { ...env, ONCEKEY_ENV_VAR: "ONCEHUB_API_KEY_{tenant}" },
      stdin: acmeNext,
    });

    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(jsonOf(run)).toMatchObject({
      account: "acme@example.com",
      source: `dotenv:${path}#ONCEHUB_API_KEY_ACME`,
    });
    expect(await readFile(path, "utf8")).toBe(before.replace(acme.key, acmeNext));
  });
});
