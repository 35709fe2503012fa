import { spawn } from "node:child_process";
import { describe, expect, it } from "@jest/globals";
import { eventually } from "@oncekey/test-support";
import { ONCEKEY_BIN, jsonOf, runCli } from "./support/cli-process.js";

const variable = (text: string, name: string): string =>
  new RegExp(`^  ${name}=(\\S+)$`, "m").exec(text)?.[1] ?? "";

describe("oncekey sandbox", () => {
  it("runs the sandbox until Ctrl+C, printing what an app needs, and stops cleanly", async () => {
    const child = spawn(process.execPath, [ONCEKEY_BIN, "sandbox", "--rate-limit", "off"], {
      env: { PATH: process.env.PATH },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      await eventually(() => stdout.includes("ONCEKEY_CA_FILE="), { what: "the sandbox's banner" });
      const env = {
        ONCEHUB_BASE_URL: variable(stdout, "ONCEHUB_BASE_URL"),
        ONCEHUB_API_KEY: variable(stdout, "ONCEHUB_API_KEY"),
        ONCEKEY_CA_FILE: variable(stdout, "ONCEKEY_CA_FILE"),
      };

      const check = await runCli(["check", "--json"], { env });

      expect(check.code).toBe(0);
      expect(jsonOf(check)).toMatchObject({ ok: true, account: "admin@example.com" });
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain("OnceHub sandbox stopped.");
  });
});

describe("oncekey demo", () => {
  it("tells the whole tour and never prints a key", async () => {
    const run = await runCli(["demo"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("GET /test -> The API key is valid for account: admin@example.com");
    expect(run.stdout).toMatch(/The file watch picked up the new key: sha256:[0-9a-f]{12} from file:/);
    expect(run.stdout.trimEnd().endsWith("Done.")).toBe(true);
    // Sandbox keys are 43 base64url characters; nothing of that shape may reach the output.
    expect(run.stdout).not.toMatch(/[A-Za-z0-9_-]{43}/);
  });
});
