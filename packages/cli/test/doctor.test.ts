import { execFileSync } from "node:child_process";
import { utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { keyFingerprint } from "@oncekey/sandbox";
import { useSandbox, useTempDir } from "@oncekey/test-support";
import { keyAgeWarning } from "../src/doctor/key-age.js";
import { jsonOf, runCli } from "./support/cli-process.js";
import { useAzure } from "./support/use-azure.js";

describe("oncekey doctor", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-doctor-");

  async function baseEnv(): Promise<Record<string, string>> {
    const caFile = join(dir.path, "ca.pem");
    await writeFile(caFile, sandbox().ca);
    return { ONCEHUB_BASE_URL: sandbox().baseUrl, ONCEKEY_CA_FILE: caFile };
  }

  const codes = (report: Record<string, unknown>): string[] =>
    (report.warnings as { code: string }[]).map((w) => w.code);

  it("warns about a key file others can read and that was written over six months ago, and about the sandbox's URL and CA", async () => {
    const keyFile = join(dir.path, "oncehub-api-key");
    await writeFile(keyFile, sandbox().key, { mode: 0o644 });
    const yearAgo = new Date(Date.now() - 365 * 86_400_000);
    await utimes(keyFile, yearAgo, yearAgo);
    const env = { ...(await baseEnv()), ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: keyFile };

    const run = await runCli(["doctor", "--json"], { env });

    expect(run.code).toBe(0);
    const report = jsonOf(run);
    expect(report).toMatchObject({
      ok: true,
      command: "doctor",
      fingerprint: keyFingerprint(sandbox().key),
      steps: [{ name: "file", tried: `file:${keyFile}`, outcome: "found", used: true, error: null }],
    });
    expect(codes(report).sort()).toEqual(["BASE_URL", "CA_FILE", "FILE_PERMISSIONS", "KEY_AGE"]);
    expect(JSON.stringify(report.warnings)).toContain("at least 365 days old");
  });

  it("lists each source of a chain: the missing file, then the environment that serves the key", async () => {
    const env = {
      ...(await baseEnv()),
      ONCEKEY_SOURCE: "file,env",
      ONCEKEY_FILE_PATH: join(dir.path, "absent"),
      ONCEHUB_API_KEY: sandbox().key,
    };

    const run = await runCli(["doctor", "--json"], { env });

    expect(run.code).toBe(0);
    expect(jsonOf(run).steps).toEqual([
      expect.objectContaining({
        name: "file",
        outcome: "not-found",
        used: false,
        error: expect.objectContaining({ code: "KEY_NOT_FOUND" }),
      }),
      expect.objectContaining({ name: "env", tried: "env:ONCEHUB_API_KEY", outcome: "found", used: true }),
    ]);
    const readable = await runCli(["doctor"], { env });
    expect(readable.stdout).toMatch(/1\. file .* not found/);
    expect(readable.stdout).toMatch(/2\. env +env:ONCEHUB_API_KEY +found sha256:[0-9a-f]{12} +<- used/);
    expect(readable.stdout).toContain("✓ The key works for admin@example.com, with 2 warnings.");
  });

  it("warns about a .env file tracked by git, and shows a later source as found but not used", async () => {
    await writeFile(join(dir.path, ".env"), `ONCEHUB_API_KEY=${sandbox().key}\n`, { mode: 0o600 });
    execFileSync("git", ["init", "-q"], { cwd: dir.path });
    execFileSync("git", ["add", ".env"], { cwd: dir.path });
    const env = { ...(await baseEnv()), ONCEKEY_SOURCE: "dotenv,env", ONCEHUB_API_KEY: sandbox().key };

    const run = await runCli(["doctor", "--json"], { env, cwd: dir.path });

    expect(run.code).toBe(0);
    const report = jsonOf(run);
    expect(codes(report)).toContain("TRACKED_BY_GIT");
    expect(codes(report)).not.toContain("FILE_PERMISSIONS");
    expect(report.steps).toEqual([
      expect.objectContaining({
        name: "dotenv",
        tried: "dotenv:.env#ONCEHUB_API_KEY",
        outcome: "found",
        used: true,
      }),
      expect.objectContaining({ name: "env", outcome: "found", used: false }),
    ]);
  });

  it("says which source is misconfigured, and exits 2", async () => {
    const env = { ...(await baseEnv()), ONCEKEY_SOURCE: "file,env", ONCEHUB_API_KEY: sandbox().key };

    const run = await runCli(["doctor", "--json"], { env });

    expect(run.code).toBe(2);
    expect(jsonOf(run)).toMatchObject({
      error: { code: "CONFIG" },
      steps: [
        { name: "file", outcome: "misconfigured", error: { code: "CONFIG" } },
        { name: "env", outcome: "found", used: false },
      ],
    });
  });

  it("shows a source holding a malformed key as the one that stops the chain", async () => {
    const keyFile = join(dir.path, "broken-key");
    await writeFile(keyFile, "two words\n", { mode: 0o600 });
    const env = {
      ...(await baseEnv()),
      ONCEKEY_SOURCE: "file,env",
      ONCEKEY_FILE_PATH: keyFile,
      ONCEHUB_API_KEY: sandbox().key,
    };

    const run = await runCli(["doctor", "--json"], { env });

    expect(run.code).toBe(2);
    expect(jsonOf(run)).toMatchObject({
      error: { code: "KEY_FORMAT" },
      steps: [
        { name: "file", outcome: "failed", used: false, error: { code: "KEY_FORMAT" } },
        { name: "env", outcome: "found", used: false },
      ],
    });
  });
});

describe("oncekey doctor with the azure-keyvault source", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-doctor-vault-");
  const azure = useAzure(sandbox);

  /** The configuration of an app in Azure reading `secret` (managed identity), with one CA file for both servers. */
  const vaultEnv = (secret: string) => azure().env(secret, dir.path);

  const keyAge = (report: Record<string, unknown>) =>
    (report.warnings as { code: string; message: string }[]).filter((w) => w.code === "KEY_AGE");

  it("warns about a secret version last updated more than six months ago, naming its date", async () => {
    const updatedOn = new Date(Date.now() - 200 * 86_400_000);
    azure().vault.setSecret("oncehub-aged", sandbox().key, {
      createdOn: new Date(Date.now() - 400 * 86_400_000),
      updatedOn,
    });
    const env = await vaultEnv("oncehub-aged");

    const run = await runCli(["doctor", "--json"], { env });

    expect(run.code).toBe(0);
    const report = jsonOf(run);
    expect(report).toMatchObject({
      ok: true,
      fingerprint: keyFingerprint(sandbox().key),
      steps: [{ name: "azure-keyvault", outcome: "found", used: true, error: null }],
    });
    expect(keyAge(report)).toEqual([
      {
        code: "KEY_AGE",
        message: expect.stringContaining(
          `is at least 200 days old (its Key Vault version was last updated on ${updatedOn.toISOString().slice(0, 10)})`,
        ),
      },
    ]);
    const readable = await runCli(["doctor"], { env });
    expect(readable.code).toBe(0);
    expect(readable.stdout).toContain("KEY_AGE");
    expect(readable.stdout).toContain("OnceHub advises rotating keys at least every six months");
  });

  it("says nothing of age for a version updated within six months, however old the secret", async () => {
    azure().vault.setSecret("oncehub-recent", sandbox().key, {
      createdOn: new Date(Date.now() - 400 * 86_400_000),
      updatedOn: new Date(Date.now() - 150 * 86_400_000),
    });

    const run = await runCli(["doctor", "--json"], { env: await vaultEnv("oncehub-recent") });

    expect(run.code).toBe(0);
    expect(keyAge(jsonOf(run))).toEqual([]);
  });
});

describe(keyAgeWarning.name, () => {
  const now = new Date("2027-01-15T12:00:00Z");

  it("says nothing for a key written within six months", () => {
    expect(keyAgeWarning(new Date("2026-07-16T00:00:00Z"), "The key", "written", now)).toBeUndefined();
  });

  it("warns, with the age in days and the date, for an older key", () => {
    expect(
      keyAgeWarning(new Date("2026-07-14T12:00:00Z"), "The key in x", "its version was updated", now),
    ).toEqual({
      code: "KEY_AGE",
      message: expect.stringContaining(
        "The key in x is at least 185 days old (its version was updated on 2026-07-14)",
      ),
    });
  });
});
