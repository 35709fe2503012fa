import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  keyFingerprint,
  startFakeKeyVault,
  startSandbox,
  type FakeKeyVault,
  type Sandbox,
} from "@oncekey/sandbox";

const run = promisify(execFile);
const MAIN = join(__dirname, "..", "dist", "main.js");
/** The inversify majors the app runs with: each a real Node process, inversify loaded as Node loads it. */
const MAJORS = [7, 8] as const;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node`'s arguments that make every import of "inversify" load the installed copy of `major`. */
function withInversify(major: 7 | 8): string[] {
  return ["--import", `${pathToFileURL(join(__dirname, "use-inversify.mjs")).href}?major=${major}`];
}

/** Starts the compiled app, unchanged, with inversify `major` and only `env` (and PATH) as its environment. */
async function startApp(major: 7 | 8, env: Record<string, string>): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...withInversify(major), MAIN], {
      env,
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === "number" ? failed.code : -1,
      stdout: failed.stdout ?? "",
      stderr: failed.stderr ?? "",
    };
  }
}

let sandbox: Sandbox;
let vault: FakeKeyVault;
let dir: string;
let common: Record<string, string>;
/** One OnceHub account per configuration, so each answer names the account whose key was used. */
const accounts: Record<string, { readonly email: string; readonly key: string }> = {};
const printed: string[] = [];

beforeAll(async () => {
  [sandbox, vault] = await Promise.all([
    startSandbox({ rateLimit: false, bookings: 0 }),
    startFakeKeyVault(),
  ]);
  dir = await mkdtemp(join(tmpdir(), "oncekey-inversify-app-"));
  for (const name of ["env", "dotenv", "file", "azure-keyvault", "chain"]) {
    accounts[name] = sandbox.accounts.create(`${name}@example.com`);
  }
  // One CA file for both servers, as a corporate bundle would hold several CAs.
  await writeFile(join(dir, "ca.pem"), `${sandbox.ca}\n${vault.ca}\n`);
  await writeFile(join(dir, ".env"), `# OnceHub\nONCEHUB_API_KEY=${accounts.dotenv?.key}\n`, { mode: 0o600 });
  await writeFile(join(dir, "oncehub_api_key"), `${accounts.file?.key}\n`, { mode: 0o600 });
  vault.setSecret("oncehub-api-key", accounts["azure-keyvault"]?.key ?? "");
  // DefaultAzureCredential, limited to the Azure CLI, gets its token from this stand-in for `az`.
  const bin = join(dir, "bin");
  await mkdir(bin);
  await writeFile(
    join(bin, "az"),
    '#!/bin/sh\necho \'{"accessToken":"token-for-the-fake-vault","expires_on":4102444800,"tokenType":"Bearer"}\'\n',
  );
  await chmod(join(bin, "az"), 0o755);
  common = {
    PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
    ONCEHUB_BASE_URL: sandbox.baseUrl,
    ONCEKEY_CA_FILE: join(dir, "ca.pem"),
  };
});

afterAll(async () => {
  if (printed.length > 0) {
    console.log(`The same build under five configurations and two inversify majors:\n${printed.join("\n")}`);
  }
  await Promise.all([sandbox?.close(), vault?.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe.each(MAJORS)("the inversify example app with inversify %i", (major) => {
  it(`loads inversify ${major}, the same copy in the app and in @oncekey/inversify`, async () => {
    const { stdout } = await run(process.execPath, [
      ...withInversify(major),
      join(__dirname, "inversify-probe.mjs"),
    ]);

    expect(JSON.parse(stdout)).toEqual({
      version: expect.stringMatching(new RegExp(`^${major}\\.`)),
      sameCopy: true,
    });
  });

  describe("when started unchanged with each configuration", () => {
    const configurations: [name: string, env: () => Record<string, string>, source: RegExp][] = [
      [
        "env",
        () => ({ ONCEKEY_SOURCE: "env", ONCEHUB_API_KEY: accounts.env?.key ?? "" }),
        /^env:ONCEHUB_API_KEY$/,
      ],
      ["dotenv", () => ({ ONCEKEY_SOURCE: "dotenv", ONCEKEY_DOTENV_PATH: join(dir, ".env") }), /^dotenv:/],
      ["file", () => ({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: join(dir, "oncehub_api_key") }), /^file:/],
      [
        "azure-keyvault",
        () => ({
          ONCEKEY_SOURCE: "azure-keyvault",
          ONCEKEY_KEYVAULT_URL: vault.url,
          ONCEKEY_KEYVAULT_SECRET: "oncehub-api-key",
          AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
        }),
        /^azure-keyvault:/,
      ],
      [
        "chain",
        () => ({
          // No key file here, so the chain falls through to the environment.
          ONCEKEY_SOURCE: "file,env",
          ONCEKEY_FILE_PATH: join(dir, "absent", "oncehub_api_key"),
          ONCEHUB_API_KEY: accounts.chain?.key ?? "",
        }),
        /^env:ONCEHUB_API_KEY$/,
      ],
    ];

    it.each(configurations)("calls the sandbox with the key from %s", async (name, env, source) => {
      const account = accounts[name] as { email: string; key: string };
      sandbox.requests.clear();

      const outcome = await startApp(major, { ...common, ...env() });

      expect(outcome).toMatchObject({ code: 0 });
      const report = JSON.parse(outcome.stdout.trim()) as Record<string, string>;
      expect(report).toEqual({
        sources: env().ONCEKEY_SOURCE,
        source: expect.stringMatching(source),
        fingerprint: keyFingerprint(account.key),
        account: account.email,
      });
      expect(sandbox.requests.all().map((entry) => [entry.path, entry.status, entry.fingerprint])).toEqual([
        ["/v2/test", 200, keyFingerprint(account.key)],
      ]);
      expect(`${outcome.stdout}${outcome.stderr}`).not.toContain(account.key);
      printed.push(`  inversify ${major}  ${name.padEnd(15)} ${outcome.stdout.trim()}`);
    });
  });

  describe("when the configuration is bad", () => {
    it("exits at start-up with the variable to fix, before any request", async () => {
      sandbox.requests.clear();

      const outcome = await startApp(major, {
        ...common,
        ONCEKEY_SOURCE: "file,env",
        ONCEHUB_API_KEY: "never-used",
      });

      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toMatch(/^CONFIG: .*ONCEKEY_FILE_PATH is not set\. Set ONCEKEY_FILE_PATH/);
      expect(sandbox.requests.size).toBe(0);
    });
  });
});
