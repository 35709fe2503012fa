import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS, holdsKey } from "@oncekey/sandbox";
import { useSandbox, useTempDir } from "@oncekey/test-support";
import { runCli, type CliRun } from "./support/cli-process.js";
import { useAzure } from "./support/use-azure.js";

/** One way to run the command with a canary key somewhere it does not belong. */
interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly stdin?: string;
  /** Files to write first, relative to the test's directory. */
  readonly files?: Record<string, string>;
  readonly json?: boolean;
}

describe("a canary key in any setting, argument or input", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-canary-");
  const azure = useAzure(sandbox);

  function cases(canary: string): Case[] {
    const current = sandbox().key;
    return [
      {
        name: "check with the canary as the key (rejected)",
        args: ["check"],
        env: { ONCEHUB_API_KEY: canary },
      },
      {
        name: "check --json with the canary as the key",
        args: ["check", "--json"],
        env: { ONCEHUB_API_KEY: canary },
      },
      {
        name: "doctor with the canary in a key file readable by others",
        args: ["doctor"],
        env: { ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: "./key" },
        files: { key: canary },
      },
      {
        name: "doctor with a malformed canary in .env, then env",
        args: ["doctor", "--json"],
        env: { ONCEKEY_SOURCE: "dotenv,env", ONCEKEY_DOTENV_PATH: "./.env", ONCEHUB_API_KEY: canary },
        files: { ".env": `ONCEHUB_API_KEY="${canary} and more"\n` },
      },
      { name: "doctor with ONCEKEY_SOURCE", args: ["doctor"], env: { ONCEKEY_SOURCE: canary } },
      {
        name: "doctor with ONCEKEY_FILE_PATH",
        args: ["doctor", "--json"],
        env: { ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: canary },
      },
      {
        name: "doctor with ONCEKEY_DOTENV_PATH",
        args: ["doctor"],
        env: { ONCEKEY_SOURCE: "dotenv", ONCEKEY_DOTENV_PATH: canary },
      },
      { name: "doctor with ONCEKEY_ENV_VAR", args: ["doctor", "--json"], env: { ONCEKEY_ENV_VAR: canary } },
      {
        name: "doctor with ONCEHUB_BASE_URL",
        args: ["doctor"],
        env: { ONCEHUB_BASE_URL: canary, ONCEHUB_API_KEY: current },
      },
      { name: "doctor with ONCEKEY_CA_FILE", args: ["doctor", "--json"], env: { ONCEKEY_CA_FILE: canary } },
      {
        name: "doctor with ONCEKEY_KEYVAULT_URL",
        args: ["doctor"],
        env: {
          ONCEKEY_SOURCE: "azure-keyvault",
          ONCEKEY_KEYVAULT_URL: canary,
          ONCEKEY_KEYVAULT_SECRET: "oncehub",
        },
      },
      {
        name: "doctor with ONCEKEY_KEYVAULT_SECRET",
        args: ["doctor", "--json"],
        env: {
          ...azure().identity.env,
          ONCEKEY_SOURCE: "azure-keyvault",
          ONCEKEY_KEYVAULT_URL: azure().vault.url,
          ONCEKEY_KEYVAULT_SECRET: canary,
        },
      },
      { name: "check --tenant", args: ["check", "--tenant", canary], env: { ONCEHUB_API_KEY: current } },
      { name: "an unknown option", args: ["check", `--${canary}`] },
      { name: "an unknown command", args: [canary] },
      { name: "a value given to --json", args: ["doctor", `--json=${canary}`] },
      {
        name: "rotate refusing the canary as the new key (rejected)",
        args: ["rotate"],
        env: { ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: "./key" },
        files: { key: current },
        stdin: `${canary}\n`,
      },
      {
        name: "rotate --json refusing a malformed canary",
        args: ["rotate", "--json"],
        env: { ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: "./key" },
        files: { key: current },
        stdin: `${canary} ${canary}\n`,
      },
      {
        name: "rotate with the canary as an argument",
        args: ["rotate", canary],
        env: { ONCEHUB_API_KEY: current },
      },
      { name: "rotate --account", args: ["rotate", "--account", canary], env: { ONCEHUB_API_KEY: current } },
      { name: "sandbox --port", args: ["sandbox", "--port", canary] },
      { name: "sandbox --email", args: ["sandbox", "--email", canary] },
      { name: "an unknown sandbox option", args: ["sandbox", `--${canary}=1`] },
    ];
  }

  async function run(testCase: Case, index: number): Promise<CliRun> {
    const cwd = join(dir.path, String(index));
    await mkdir(cwd);
    const caFile = join(cwd, "ca.pem");
    await writeFile(caFile, `${sandbox().ca}\n${azure().vault.ca}`);
    for (const [name, content] of Object.entries(testCase.files ?? {})) {
      await writeFile(join(cwd, name), content, { mode: 0o644 });
    }
    return runCli(testCase.args, {
      cwd,
      stdin: testCase.stdin ?? "",
      env: { ONCEHUB_BASE_URL: sandbox().baseUrl, ONCEKEY_CA_FILE: caFile, ...testCase.env },
    });
  }

  describe.each(Object.entries(CANARY_KEYS))("of the %s shape", (_, canary) => {
    it("appears in no output of any command, in any outcome", async () => {
      const all = cases(canary);
      const results: CliRun[] = [];
      // A few at a time: each is a process of its own.
      for (let i = 0; i < all.length; i += 4) {
        const batch = all.slice(i, i + 4).map((testCase, j) => run(testCase, i + j));
        results.push(...(await Promise.all(batch)));
      }
      const outcomes = all.map((testCase, i) => {
        const { code, stdout, stderr } = results[i] as CliRun;
        return {
          case: testCase.name,
          // Every case fails, and says so: the canary is nowhere a working key or setting.
          failed: code !== 0 && `${stdout}${stderr}`.trim() !== "",
          leaks: holdsKey(`${stdout}\n${stderr}`, canary),
        };
      });
      expect(outcomes).toEqual(all.map((testCase) => ({ case: testCase.name, failed: true, leaks: false })));
    });
  });
});
