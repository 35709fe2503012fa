import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { eventually, freePort, useTempDir } from "@oncekey/test-support";
import { ONCEKEY_BIN, runCli } from "./support/cli-process.js";

const run = promisify(execFile);

/** Starts `oncekey sandbox` with `args`; resolves once it serves, with a way to stop it (Ctrl+C) and its exit code. */
async function serve(
  args: readonly string[],
): Promise<{ banner: () => string; interrupt: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [ONCEKEY_BIN, "sandbox", ...args], {
    env: { PATH: process.env.PATH },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  await eventually(() => stdout.includes("Press Ctrl+C to stop") && stdout.includes("Try it:"), {
    what: "the sandbox's banner",
  });
  return {
    banner: () => stdout,
    interrupt: async () => {
      child.kill("SIGINT");
      return exited;
    },
  };
}

describe("oncekey sandbox", () => {
  const dir = useTempDir("oncekey-cli-sandbox-");

  it("keeps its key and CA across restarts, and --print-env gives an app (and oncekey check) what it needs", async () => {
    const flags = [
      "--port",
      String(await freePort()),
      "--key-file",
      join(dir.path, "sandbox-key"),
      "--ca-file",
      join(dir.path, "sandbox-ca.pem"),
    ];
    const script = `eval "$("$ONCEKEY" sandbox --print-env ${flags.join(" ")})" && "$ONCEKEY" check --json`;
    const check = () =>
      run("bash", ["-c", script], {
        env: { PATH: process.env.PATH, ONCEKEY: ONCEKEY_BIN },
      }).then(({ stdout }) => JSON.parse(stdout) as Record<string, unknown>);

    const first = await serve(flags);
    let report: Record<string, unknown>;
    try {
      report = await check();
      expect(report).toMatchObject({ ok: true, account: "admin@example.com" });
      expect(first.banner()).toContain(`eval "$(oncekey sandbox --print-env ${flags.join(" ")})"`);
    } finally {
      expect(await first.interrupt()).toBe(0);
    }
    expect(first.banner()).toContain("OnceHub sandbox stopped.");

    const second = await serve(flags);
    try {
      expect(await check()).toMatchObject({ ok: true, fingerprint: report.fingerprint });
    } finally {
      expect(await second.interrupt()).toBe(0);
    }
  });
});

describe("oncekey sandbox --print-env", () => {
  const dir = useTempDir("oncekey-cli-print-env-");

  it("prints relative paths as given, however long (only argument values in messages are never repeated)", async () => {
    const caFile = ".oncekey/sandbox-ca.pem";
    const keyFile = ".oncekey/sandbox-api-key";
    const { code, stdout } = await runCli(
      [
        "sandbox",
        "--print-env",
        "--port",
        String(await freePort()),
        "--key-file",
        `./${keyFile}`,
        "--ca-file",
        `./${caFile}`,
      ],
      { cwd: dir.path },
    );
    expect(code).toBe(0);
    expect(stdout).toContain(`export ONCEKEY_CA_FILE=${join(dir.path, caFile)}`);
    expect(stdout).not.toContain("<argument>");
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
