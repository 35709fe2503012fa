import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { keyFingerprint, startSandbox } from "@oncekey/sandbox";
import { useSandbox, useTempDir } from "@oncekey/test-support";
import { jsonOf, runCli, type CliRun } from "./support/cli-process.js";

const FIELDS = ["ok", "source", "fingerprint", "account", "latencyMs", "warnings", "error"];

/** `--json` output: one object with every field, `ok` exactly when no error, and the exit code of the error. */
function expectReport(run: CliRun, code: number, errorCode: string | null): Record<string, unknown> {
  const report = jsonOf(run);
  for (const field of FIELDS) expect(report).toHaveProperty(field);
  expect(Array.isArray(report.warnings)).toBe(true);
  expect(report.ok).toBe(errorCode === null);
  expect((report.error as { code?: string } | null)?.code ?? null).toBe(errorCode);
  if (errorCode !== null) expect(typeof (report.error as { message?: unknown }).message).toBe("string");
  expect(run.code).toBe(code);
  return report;
}

describe("exit codes", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-");

  async function sandboxEnv(base: {
    url: string;
    baseUrl: string;
    ca: string;
  }): Promise<Record<string, string>> {
    const caFile = join(dir.path, `ca-${new URL(base.url).port}.pem`);
    await writeFile(caFile, base.ca);
    return { ONCEHUB_BASE_URL: base.baseUrl, ONCEKEY_CA_FILE: caFile };
  }

  describe.each(["check", "doctor"])("oncekey %s", (command) => {
    it("exits 0 with the source, fingerprint, account and latency for a working key", async () => {
      const env = { ...(await sandboxEnv(sandbox())), ONCEHUB_API_KEY: sandbox().key };
      const report = expectReport(await runCli([command, "--json"], { env }), 0, null);
      expect(report).toMatchObject({
        command,
        source: "env:ONCEHUB_API_KEY",
        fingerprint: keyFingerprint(sandbox().key),
        account: "admin@example.com",
      });
      expect(report.latencyMs).toEqual(expect.any(Number));
    });

    it("exits 2 when there is no key", async () => {
      const env = await sandboxEnv(sandbox());
      const report = expectReport(await runCli([command, "--json"], { env }), 2, "KEY_NOT_FOUND");
      expect(report.fingerprint).toBeNull();
    });

    it("exits 2 for a malformed key", async () => {
      const env = { ...(await sandboxEnv(sandbox())), ONCEHUB_API_KEY: "two words" };
      expectReport(await runCli([command, "--json"], { env }), 2, "KEY_FORMAT");
    });

    it("exits 2 for a bad configuration", async () => {
      const env = {
        ...(await sandboxEnv(sandbox())),
        ONCEKEY_SOURCE: "vault",
        ONCEHUB_API_KEY: sandbox().key,
      };
      expectReport(await runCli([command, "--json"], { env }), 2, "CONFIG");
    });

    it("exits 2 for an invalid tenant", async () => {
      const env = { ...(await sandboxEnv(sandbox())), ONCEHUB_API_KEY: sandbox().key };
      expectReport(await runCli([command, "--json", "--tenant", "../etc"], { env }), 2, "INVALID_TENANT");
    });

    it("exits 2 for an unknown option, with --json too", async () => {
      const env = { ONCEHUB_API_KEY: sandbox().key };
      expectReport(await runCli([command, "--json", "--tenat", "acme"], { env }), 2, "USAGE");
      const plain = await runCli([command, "--tenat", "acme"], { env });
      expect(plain.code).toBe(2);
      expect(plain.stdout).toBe("");
      expect(plain.stderr).toContain("has no option --tenat. Did you mean --tenant?");
    });

    it("exits 2 when --tenant is followed by another option instead of its value", async () => {
      const env = { ONCEHUB_API_KEY: sandbox().key };
      const report = expectReport(await runCli([command, "--tenant", "--json"], { env }), 2, "USAGE");
      expect((report.error as { message: string }).message).toContain("--tenant needs a value");
      const plain = await runCli([command, "--tenant", "-h"], { env });
      expect(plain.code).toBe(2);
      expect(plain.stdout).toBe("");
      expect(plain.stderr).toContain("--tenant needs a value");
    });

    it("exits 3 for a key OnceHub rejects", async () => {
      const key = sandbox().keys.create(sandbox().account.id, "doomed");
      sandbox().keys.delete(key);
      const env = { ...(await sandboxEnv(sandbox())), ONCEHUB_API_KEY: key };
      const report = expectReport(await runCli([command, "--json"], { env }), 3, "AUTHENTICATION");
      expect(report.fingerprint).toBe(keyFingerprint(key));
    });

    it("exits 4 when the sandbox is stopped", async () => {
      const stopped = await startSandbox({ rateLimit: false });
      const env = { ...(await sandboxEnv(stopped)), ONCEHUB_API_KEY: stopped.key };
      await stopped.close();
      expectReport(await runCli([command, "--json"], { env }), 4, "NETWORK");
    });

    it("exits 4 when OnceHub answers 503 again and again", async () => {
      const storm = await startSandbox({ rateLimit: false });
      try {
        storm.faults.inject({ kind: "status", status: 503, times: Infinity });
        const env = { ...(await sandboxEnv(storm)), ONCEHUB_API_KEY: storm.key };
        expectReport(await runCli([command, "--json"], { env }), 4, "API_ERROR");
      } finally {
        await storm.close();
      }
    });
  });

  describe("readable output", () => {
    it("prints the facts on stdout and a failure on stderr, without colour when not on a terminal", async () => {
      const env = { ...(await sandboxEnv(sandbox())), ONCEHUB_API_KEY: sandbox().key };
      const ok = await runCli(["check"], { env });
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain("✓ The key works for admin@example.com.");
      expect(ok.stdout).toMatch(/fingerprint\s+sha256:[0-9a-f]{12}/);
      expect(ok.stdout).not.toContain("\u001b[");
      expect(ok.stderr).toBe("");

      const failed = await runCli(["check"], { env: { ONCEHUB_API_KEY: "two words" } });
      expect(failed.code).toBe(2);
      expect(failed.stderr).toContain("✗ The key is malformed (KEY_FORMAT, exit 2)");
    });
  });

  describe("the program itself", () => {
    it("prints its version", async () => {
      const run = await runCli(["--version"]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    });

    it.each(["check", "doctor", "rotate", "sandbox", "demo"])(
      "prints the help of %s and exits 0",
      async (name) => {
        const run = await runCli([name, "--help"]);
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/^Usage: oncekey/);
      },
    );

    it("refuses an unknown command with exit 2", async () => {
      const run = await runCli(["chek"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('there is no command "chek". Did you mean check?');
    });
  });
});
