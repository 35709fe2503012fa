import diagnostics from "node:diagnostics_channel";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { eventChannelName } from "@oncekey/core";
import { thrownBy, rejectionOf, useSandbox, useTempDir } from "@oncekey/test-support";
import { EXIT_CODES, exitCodeFor, runDemo, runOncekey } from "../src/index.js";

/** A stream stand-in that keeps what is written. */
function sink(): { text: string; write(chunk: string): boolean } {
  return {
    text: "",
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe(runOncekey.name, () => {
  it("runs a command in this process, with the given streams and environment", async () => {
    const stdout = sink();
    const stderr = sink();
    const code = await runOncekey(["check", "--json"], { env: {}, stdout, stderr });
    expect(code).toBe(2);
    expect(JSON.parse(stdout.text)).toMatchObject({ ok: false, error: { code: "KEY_NOT_FOUND" } });
    expect(stderr.text).toBe("");
  });

  it("prints the version and the overview", async () => {
    const stdout = sink();
    await expect(runOncekey(["--version"], { stdout })).resolves.toBe(0);
    expect(stdout.text).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = sink();
    await expect(runOncekey(["--help"], { stdout: help })).resolves.toBe(0);
    expect(help.text).toContain("Usage: oncekey <command> [options]");
  });

  it("refuses an unknown option name with a ConfigError naming it", async () => {
    expect(
      await rejectionOf(
        runOncekey(["check"], { stdot: sink() } as unknown as Parameters<typeof runOncekey>[1]),
      ),
    ).toMatchObject({
      code: "CONFIG",
      variable: "stdot",
      message: expect.stringContaining("Did you mean stdout?"),
    });
  });

  it("refuses arguments that are not strings and streams that cannot be written", async () => {
    expect(await rejectionOf(runOncekey("check" as unknown as string[]))).toMatchObject({ variable: "argv" });
    expect(
      await rejectionOf(runOncekey(["check"], { stdout: {} as unknown as { write(text: string): unknown } })),
    ).toMatchObject({ code: "CONFIG", variable: "stdout" });
  });
});

describe("runOncekey inside an app", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-inside-");

  /** `check --json` of a key file with `mode`, in this process. */
  async function check(name: string, mode: number): Promise<{ warnings: { code: string }[] }> {
    const keyFile = join(dir.path, name);
    await writeFile(keyFile, `${sandbox().key}\n`);
    await chmod(keyFile, mode);
    const caFile = join(dir.path, "ca.pem");
    await writeFile(caFile, sandbox().ca);
    const stdout = sink();
    const env = {
      ONCEKEY_SOURCE: "file",
      ONCEKEY_FILE_PATH: keyFile,
      ONCEHUB_BASE_URL: sandbox().baseUrl,
      ONCEKEY_CA_FILE: caFile,
    };
    expect(await runOncekey(["check", "--json"], { env, stdout, stderr: sink() })).toBe(0);
    return JSON.parse(stdout.text) as { warnings: { code: string }[] };
  }

  it("reports its own sources' warnings only: not another run's, not the app's", async () => {
    // The app's own key source warns on the process-wide channel whenever a key is loaded, mid-run.
    const channel = diagnostics.channel(eventChannelName("key:warning"));
    const appWarns = (): void =>
      channel.publish({
        type: "key:warning",
        time: Date.now(),
        source: "file:/app/key",
        code: "APP_WARNING",
        message: "The app's own key file warns.",
      });
    diagnostics.subscribe(eventChannelName("key:loaded"), appWarns);
    try {
      const [private_, shared] = await Promise.all([check("private.key", 0o600), check("shared.key", 0o644)]);
      expect(private_.warnings).toEqual([]);
      expect(shared.warnings.map((w) => w.code)).toEqual(["FILE_PERMISSIONS"]);
    } finally {
      diagnostics.unsubscribe(eventChannelName("key:loaded"), appWarns);
    }
  });
});

describe(exitCodeFor.name, () => {
  it.each([
    ["KEY_NOT_FOUND", EXIT_CODES.configuration],
    ["KEY_FORMAT", 2],
    ["CONFIG", 2],
    ["INVALID_TENANT", 2],
    ["USAGE", 2],
    ["AUTHENTICATION", EXIT_CODES.rejected],
    ["NETWORK", EXIT_CODES.unreachable],
    ["TIMEOUT", 4],
    ["API_ERROR", 4],
    ["RATE_LIMIT", 4],
    ["KEY_SOURCE", EXIT_CODES.other],
    ["ACCOUNT_MISMATCH", 1],
  ])("maps %s to %d", (code, exit) => {
    expect(exitCodeFor(code)).toBe(exit);
  });

  it("is frozen", () => {
    expect(thrownBy(() => ((EXIT_CODES as { ok: number }).ok = 5))).toBeInstanceOf(TypeError);
  });
});

describe(runDemo.name, () => {
  it("refuses an unknown option name and a stdout it cannot write to", async () => {
    expect(
      await rejectionOf(runDemo({ stdot: {} } as unknown as Parameters<typeof runDemo>[0])),
    ).toMatchObject({ code: "CONFIG", variable: "stdot" });
    expect(
      await rejectionOf(runDemo({ stdout: {} as unknown as { write(text: string): unknown } })),
    ).toMatchObject({ code: "CONFIG", variable: "stdout" });
  });
});
