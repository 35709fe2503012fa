import { chmod, chown, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { fromFile } from "@oncekey/file";
import { keyFingerprint } from "@oncekey/sandbox";
import { eventually, useSandbox, useTempDir } from "@oncekey/test-support";
import { startCallingLoop } from "./support/calling-loop.js";
import { jsonOf, runCli } from "./support/cli-process.js";

describe("oncekey rotate with the file source", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-rotate-file-");

  /** A key file holding a fresh key of the sandbox's account, and the configuration that points to it. */
  async function setUp(): Promise<{ keyFile: string; current: string; env: Record<string, string> }> {
    const current = sandbox().keys.create(sandbox().account.id, "current");
    const keyFile = join(dir.path, "oncehub-api-key");
    await writeFile(keyFile, `${current}\n`, { mode: 0o640 });
    const caFile = join(dir.path, "ca.pem");
    await writeFile(caFile, sandbox().ca);
    return {
      keyFile,
      current,
      env: {
        ONCEKEY_SOURCE: "file",
        ONCEKEY_FILE_PATH: keyFile,
        ONCEHUB_BASE_URL: sandbox().baseUrl,
        ONCEKEY_CA_FILE: caFile,
      },
    };
  }

  describe("with a new key of the same account", () => {
    it("replaces the file atomically with the same mode, and a running client moves over with no failed call", async () => {
      const { keyFile, current: oldKey, env } = await setUp();
      const loop = startCallingLoop(dir.track(fromFile({ path: keyFile })), sandbox());
      try {
        await eventually(() => loop.fingerprints.includes(keyFingerprint(oldKey)), {
          what: "a call with the old key",
        });
        const newKey = sandbox().keys.create(sandbox().account.id, "rotated");

        const run = await runCli(["rotate", "--json"], { env, stdin: `${newKey}\n` });

        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        expect(jsonOf(run)).toMatchObject({
          ok: true,
          command: "rotate",
          source: `file:${keyFile}`,
          fingerprint: keyFingerprint(newKey),
          previousFingerprint: keyFingerprint(oldKey),
          account: "admin@example.com",
          written: { kind: "file", location: `file:${keyFile}` },
          nextStep: expect.stringContaining(`delete the old key ${keyFingerprint(oldKey)} in OnceHub`),
          error: null,
        });
        expect(await readFile(keyFile, "utf8")).toBe(`${newKey}\n`);
        expect((await stat(keyFile)).mode & 0o7777).toBe(0o640);

        // The running client's next call after the change goes out with the new key …
        await eventually(() => loop.fingerprints.includes(keyFingerprint(newKey)), {
          what: "a call with the new key",
        });
        // … so the old key can go, as the command's next step says.
        sandbox().keys.delete(oldKey);
        const callsAtDelete = loop.calls;
        await eventually(() => loop.calls >= callsAtDelete + 5, { what: "five more calls" });
      } finally {
        expect(await loop.stop()).toEqual([]);
      }
    });
  });

  it("keeps the file's owner", async () => {
    const { keyFile, env } = await setUp();
    // Root (as in CI) can give the file to another user, which the command must keep; anyone else keeps their own.
    const owner = process.getuid?.() === 0 ? { uid: 1234, gid: 1234 } : await stat(keyFile);
    await chown(keyFile, owner.uid, owner.gid);
    const newKey = sandbox().keys.create(sandbox().account.id, "rotated");

    expect(await runCli(["rotate"], { env, stdin: newKey })).toMatchObject({ code: 0, stderr: "" });

    expect(await stat(keyFile)).toMatchObject({ uid: owner.uid, gid: owner.gid });
    expect(await readFile(keyFile, "utf8")).toBe(`${newKey}\n`);
  });

  it("keeps the file's group in a setgid directory of another group", async () => {
    const { current, env } = await setUp();
    const primary = process.getgid?.() ?? 0;
    // Root may give the directory any group; anyone else one of their own other groups.
    const other = process.getuid?.() === 0 ? 1234 : process.getgroups?.().find((gid) => gid !== primary);
    if (other === undefined) {
      throw new Error(
        "This test needs root or a user in a second group (the decision itself: owner-change.test).",
      );
    }
    const shared = join(dir.path, "shared");
    await mkdir(shared);
    await chown(shared, process.getuid?.() ?? 0, other);
    await chmod(shared, 0o2770); // new files here get the directory's group
    const keyFile = join(shared, "oncehub-api-key");
    await writeFile(keyFile, `${current}\n`, { mode: 0o640 });
    await chown(keyFile, process.getuid?.() ?? 0, primary); // this file kept the process's own group
    const newKey = sandbox().keys.create(sandbox().account.id, "rotated");

    const run = await runCli(["rotate"], { env: { ...env, ONCEKEY_FILE_PATH: keyFile }, stdin: newKey });

    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(await readFile(keyFile, "utf8")).toBe(`${newKey}\n`);
    expect((await stat(keyFile)).gid).toBe(primary);
    expect((await stat(keyFile)).mode & 0o7777).toBe(0o640);
  });

  describe("when OnceHub already rejects the current key (the legacy Regenerate)", () => {
    it("refuses with exit 3 unless --account names the account, and then rotates", async () => {
      const { keyFile, current, env } = await setUp();
      const regenerated = sandbox().keys.regenerate(current);

      const refused = await runCli(["rotate", "--json"], { env, stdin: regenerated });
      expect(refused.code).toBe(3);
      expect(jsonOf(refused)).toMatchObject({ written: null, error: { code: "CURRENT_KEY_REJECTED" } });
      expect(await readFile(keyFile, "utf8")).toBe(`${current}\n`);

      const other = sandbox().accounts.create("not-admin@example.com");
      const wrong = await runCli(["rotate", "--account", "admin@example.com"], { env, stdin: other.key });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain("not to the account given with --account");

      const named = await runCli(["rotate", "--json", "--account", "admin@example.com"], {
        env,
        stdin: regenerated,
      });
      expect(named.code).toBe(0);
      expect(await readFile(keyFile, "utf8")).toBe(`${regenerated}\n`);
    });
  });

  describe("with a key that must not be written", () => {
    it("refuses the key already in place, exit 1", async () => {
      const { keyFile, current, env } = await setUp();
      await expectUntouched(keyFile, async () => {
        const run = await runCli(["rotate", "--json"], { env, stdin: current });
        expect(run.code).toBe(1);
        expect(jsonOf(run)).toMatchObject({ written: null, error: { code: "SAME_KEY" } });
      });
    });

    async function expectUntouched(keyFile: string, run: () => Promise<void>): Promise<void> {
      const before = await readFile(keyFile);
      const { mtimeMs } = await stat(keyFile);
      await run();
      expect((await readFile(keyFile)).equals(before)).toBe(true);
      expect((await stat(keyFile)).mtimeMs).toBe(mtimeMs);
    }

    it("refuses a key of another account, exit 1, nothing written", async () => {
      const { keyFile, env } = await setUp();
      const other = sandbox().accounts.create("other@example.com");
      await expectUntouched(keyFile, async () => {
        const run = await runCli(["rotate", "--json"], { env, stdin: other.key });
        expect(run.code).toBe(1);
        expect(jsonOf(run)).toMatchObject({
          ok: false,
          account: "other@example.com",
          written: null,
          error: { code: "ACCOUNT_MISMATCH" },
        });
      });
    });

    it("refuses a key OnceHub rejects, exit 3", async () => {
      const { keyFile, env } = await setUp();
      const dead = sandbox().keys.create(sandbox().account.id, "dead");
      sandbox().keys.delete(dead);
      await expectUntouched(keyFile, async () => {
        const run = await runCli(["rotate", "--json"], { env, stdin: dead });
        expect(run.code).toBe(3);
        expect(jsonOf(run)).toMatchObject({ written: null, error: { code: "AUTHENTICATION" } });
      });
    });

    it("refuses a malformed key, exit 2", async () => {
      const { keyFile, env } = await setUp();
      await expectUntouched(keyFile, async () => {
        const run = await runCli(["rotate"], { env, stdin: "two words\n" });
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("The key is malformed (KEY_FORMAT, exit 2)");
        expect(run.stderr).toContain("Nothing was written.");
      });
    });

    it("refuses empty input and a key given as an argument, exit 2", async () => {
      const { keyFile, env } = await setUp();
      await expectUntouched(keyFile, async () => {
        expect(await runCli(["rotate", "--json"], { env, stdin: "" })).toMatchObject({ code: 2 });
        const argument = await runCli(["rotate", sandbox().key], { env });
        expect(argument.code).toBe(2);
        expect(argument.stderr).toContain("reads the new key from standard input");
        // One key in 64 starts with "-" (base64url): still an argument, not a group of short options, and no
        // character of it is repeated.
        const dashed = `-${sandbox().keys.create(sandbox().account.id, "dashed").slice(1)}`;
        const options = await runCli(["rotate", dashed], { env });
        expect(options.code).toBe(2);
        expect(options.stderr).toContain("reads the new key from standard input");
        expect(options.stderr).not.toContain("has no option");
        // One in 4,096 starts with "--": not an unknown option either.
        const doubleDashed = `--${sandbox().keys.create(sandbox().account.id, "double-dashed").slice(2)}`;
        const long = await runCli(["rotate", doubleDashed], { env });
        expect(long.code).toBe(2);
        expect(long.stderr).toContain("reads the new key from standard input");
        expect(long.stderr).not.toContain(doubleDashed.slice(2, 10));
      });
    });
  });
});
