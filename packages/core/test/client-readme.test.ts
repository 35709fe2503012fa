import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { transformSync } from "@swc/core";
import { startSandbox, type Sandbox } from "@oncekey/sandbox";

/** The first `ts` block under "## Usage" in the README, as CommonJS inside an async function. */
function usageExample(): string {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Usage"));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error("README has no ts block under ## Usage");
  const wrapped = `export async function main() {\n${block.replace(/^import .*$/gm, "")}\n}`;
  const imports = block.match(/^import .*$/gm)?.join("\n") ?? "";
  return transformSync(`${imports}\n${wrapped}`, {
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
  }).code;
}

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = await mkdtemp(join(tmpdir(), "oncekey-readme-"));
});

afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

describe("README", () => {
  it("runs the Usage example against the sandbox", async () => {
    await writeFile(join(dir, "ca.pem"), sandbox.ca);
    const saved = { ...process.env };
    const logged: unknown[][] = [];
    const log = console.log;
    Object.assign(process.env, {
      ONCEHUB_API_KEY: sandbox.key,
      ONCEHUB_BASE_URL: sandbox.baseUrl,
      ONCEKEY_CA_FILE: join(dir, "ca.pem"),
    });
    delete process.env.ONCEKEY_SOURCE;
    console.log = (...args: unknown[]) => void logged.push(args);
    try {
      const exports: { main?: () => Promise<void> } = {};
      // The example imports the published names; they resolve to the workspace sources here.
      new Function("exports", "require", usageExample())(exports, require);
      await (exports.main as () => Promise<void>)();
    } finally {
      console.log = log;
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    expect(logged[0]).toEqual([`connected to ${sandbox.account.email}`]);
    expect(logged.length).toBeGreaterThan(1);
    expect(sandbox.requests.count({ method: "POST", path: "/v2/webhooks", status: 200 })).toBe(1);
    expect(sandbox.requests.count({ method: "DELETE", status: 200 })).toBe(1);
    expect(sandbox.requests.count({ status: 429 })).toBe(0);
  });
});
