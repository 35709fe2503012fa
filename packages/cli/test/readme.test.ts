import { execFile, spawn } from "node:child_process";
import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { parse } from "dotenv";
import { keyFingerprint } from "@oncekey/sandbox";
import { eventually, freePort, useSandbox, useTempDir } from "@oncekey/test-support";
import { jsonOf, ONCEKEY_BIN, runCli } from "./support/cli-process.js";
import { useAzure } from "./support/use-azure.js";
import { readVaultSecret } from "./support/read-vault-secret.js";

const run = promisify(execFile);
const PACKAGE = join(__dirname, "..");

/** The README's fenced blocks of a language, by their text. */
async function blocks(language: string): Promise<string[]> {
  const readme = await readFile(join(PACKAGE, "README.md"), "utf8");
  return [...readme.matchAll(new RegExp("^```" + language + "\\n([\\s\\S]*?)^```", "gm"))].map(
    (m) => m[1] ?? "",
  );
}

/** The shell block whose first line is `# <title>`. */
async function shellBlock(title: string): Promise<string> {
  const found = (await blocks("sh")).find((block) => block.startsWith(`# ${title}`));
  if (found === undefined) throw new Error(`The README has no sh block starting with "# ${title}".`);
  return found;
}

// The README's snippets, run with bash in a fresh directory, `oncekey` on the PATH, and the sandbox standing in for
// OnceHub (ONCEHUB_BASE_URL and ONCEKEY_CA_FILE set around them; the Key Vault URL swapped for the fake vault's).
describe("README", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-readme-");
  const azure = useAzure(sandbox);

  /** The snippet's directory: `oncekey` on the PATH, the current key where `place` puts it, the new key in new-key.txt. */
  async function prepare(
    place: (key: string) => Promise<void>,
  ): Promise<{ env: Record<string, string>; current: string; next: string }> {
    const current = sandbox().keys.create(sandbox().account.id, "current");
    const next = sandbox().keys.create(sandbox().account.id, "next");
    await place(current);
    await writeFile(join(dir.path, "new-key.txt"), `${next}\n`, { mode: 0o600 });
    await mkdir(join(dir.path, "bin"));
    const shim = join(dir.path, "bin", "oncekey");
    await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${ONCEKEY_BIN}" "$@"\n`);
    await chmod(shim, 0o755);
    const caFile = join(dir.path, "ca.pem");
    await writeFile(caFile, `${sandbox().ca}\n${azure().vault.ca}`);
    return {
      current,
      next,
      env: {
        PATH: `${join(dir.path, "bin")}:${process.env.PATH ?? ""}`,
        HOME: process.env.HOME ?? dir.path,
        ONCEHUB_BASE_URL: sandbox().baseUrl,
        ONCEKEY_CA_FILE: caFile,
      },
    };
  }

  const bash = (script: string, env: Record<string, string>) =>
    run("bash", ["-euo", "pipefail", "-c", script], { cwd: dir.path, env });

  const inSecrets = async (key: string): Promise<void> => {
    await mkdir(join(dir.path, "secrets"));
    await writeFile(join(dir.path, "secrets", "oncehub-api-key"), `${key}\n`, { mode: 0o600 });
  };

  it.each(["quick start", "rotate: file"])("%s: rotates the key file", async (title) => {
    const { env, next } = await prepare(inSecrets);
    const { stdout } = await bash(await shellBlock(title), env);
    expect(stdout).toContain("The new key is in place");
    expect(await readFile(join(dir.path, "secrets", "oncehub-api-key"), "utf8")).toBe(`${next}\n`);
  });

  it("sandbox: serves in one shell, and the other checks against it", async () => {
    const { env } = await prepare(async () => undefined);
    const port = await freePort();
    const block = (await shellBlock("sandbox: in one shell")).replaceAll("8443", String(port));
    const [serving = "", other = ""] = block.split(/^# in another shell.*$/m);
    const server = spawn("bash", ["-c", `exec ${serving.trim().split("\n").at(-1) ?? ""}`], {
      cwd: dir.path,
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let banner = "";
    server.stdout.setEncoding("utf8").on("data", (chunk: string) => (banner += chunk));
    const exited = new Promise<number | null>((resolve) => server.on("close", resolve));
    try {
      await eventually(() => banner.includes("Try it:"), { what: "the sandbox's banner" });
      const { stdout } = await bash(other, { PATH: env.PATH ?? "" });
      expect(stdout).toContain("✓ The key works for admin@example.com.");
    } finally {
      server.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  });

  it("rotate: dotenv rewrites the value", async () => {
    const { env, next } = await prepare((key) =>
      writeFile(join(dir.path, ".env"), `# app\nOTHER=1\nONCEHUB_API_KEY=${key}\n`, { mode: 0o600 }),
    );
    const { stdout } = await bash(await shellBlock("rotate: dotenv"), env);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, fingerprint: keyFingerprint(next) });
    expect(parse(await readFile(join(dir.path, ".env")))).toEqual({ OTHER: "1", ONCEHUB_API_KEY: next });
  });

  it("rotate: azure-keyvault writes a new version", async () => {
    const { env, current, next } = await prepare(async () => undefined);
    azure().vault.setSecret("oncehub-api-key", current);
    const script = (await shellBlock("rotate: azure-keyvault")).replace(
      "https://my-vault.vault.azure.net",
      azure().vault.url,
    );
    const { stdout } = await bash(script, { ...env, ...azure().identity.env });
    expect(stdout).toContain("The new key is in place");
    expect(await readVaultSecret(azure().vault, "oncehub-api-key")).toMatchObject({ value: next });
  });

  it("rotate: env refuses and says what to do", async () => {
    const { env, current } = await prepare(async () => undefined);
    const result = await bash(await shellBlock("rotate: env"), { ...env, ONCEHUB_API_KEY: current });
    expect(result.stdout).toContain("exit 2: nothing was written");
    expect(result.stderr).toContain("restart every process");
  });

  it("shows the JSON fields check prints", async () => {
    const [example] = await blocks("json");
    const { env, current } = await prepare(async () => undefined);
    const report = jsonOf(await runCli(["check", "--json"], { env: { ...env, ONCEHUB_API_KEY: current } }));
    expect(Object.keys(report)).toEqual(Object.keys(JSON.parse(example ?? "{}") as object));
  });

  it("runs the program snippet", async () => {
    const [snippet] = await blocks("js");
    const { env, current } = await prepare(async () => undefined);
    // The snippet imports @oncekey/cli as an installed package would.
    await mkdir(join(dir.path, "node_modules", "@oncekey"), { recursive: true });
    await symlink(PACKAGE, join(dir.path, "node_modules", "@oncekey", "cli"));
    await writeFile(join(dir.path, "snippet.mjs"), snippet ?? "");
    const { stdout } = await run(process.execPath, ["snippet.mjs"], {
      cwd: dir.path,
      env: { ...env, ONCEHUB_API_KEY: current },
    });
    expect(stdout.trim()).toBe(`0 ${keyFingerprint(current)} works for admin@example.com`);
  });
});
