import { describe, expect, it } from "@jest/globals";
import { thrownBy, rejectionOf } from "@oncekey/test-support";
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
