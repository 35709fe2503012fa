import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { keyFingerprint } from "@oncekey/sandbox";
import { useSandbox } from "@oncekey/test-support";
import { parse } from "dotenv";
import { block, REPO } from "./support/markdown.js";
import { useProject } from "./support/project.js";
import { asShown, expectShown } from "./support/shown.js";

const DOC = join(REPO, "docs", "rotation.md");
const SHOWN_DIR = "/srv/app";

// The runbook's commands in a project whose app reads its key from the source at hand, against the sandbox
// standing in for OnceHub: the current key in place, the new one (of the same account) in new-key.txt.
describe("docs/rotation.md", () => {
  const sandbox = useSandbox({ rateLimit: false });
  const project = useProject();

  async function prepare(): Promise<{ env: Record<string, string>; current: string; next: string }> {
    const current = sandbox().keys.create(sandbox().account.id, "current");
    const next = sandbox().keys.create(sandbox().account.id, "next");
    await project().write("new-key.txt", `${next}\n`, 0o600);
    await project().write("ca.pem", sandbox().ca);
    return {
      current,
      next,
      env: { ONCEHUB_BASE_URL: sandbox().baseUrl, ONCEKEY_CA_FILE: join(project().dir, "ca.pem") },
    };
  }
  const shown = (text: string) => asShown(text, [[project().dir, SHOWN_DIR]]);

  it("rotates a key file", async () => {
    const { env, current, next } = await prepare();
    await project().write("secrets/oncehub-api-key", `${current}\n`, 0o600);
    const result = await project().sh(block(DOC, "rotate-file"), { env });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expectShown(shown(result.stdout), block(DOC, "rotate-file", "output"));
    expect(result.stdout).toContain(`new       ${keyFingerprint(next)}`);
    expect(await readFile(join(project().dir, "secrets", "oncehub-api-key"), "utf8")).toBe(`${next}\n`);
  });

  it("rotates the value of a .env file, and only it", async () => {
    const { env, current, next } = await prepare();
    await project().write(".env", `# app settings\nPORT=3000\nONCEHUB_API_KEY="${current}"\n`, 0o600);
    const result = await project().sh(block(DOC, "rotate-dotenv"), { env });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expectShown(shown(result.stdout), block(DOC, "rotate-dotenv", "output"));
    const after = await readFile(join(project().dir, ".env"), "utf8");
    expect(parse(after)).toEqual({ PORT: "3000", ONCEHUB_API_KEY: next });
    expect(after).toBe(`# app settings\nPORT=3000\nONCEHUB_API_KEY="${next}"\n`);
  });

  it("refuses an environment variable, and says what to do", async () => {
    const { env, current } = await prepare();
    const result = await project().sh(block(DOC, "rotate-env"), {
      env: { ...env, ONCEHUB_API_KEY: current },
    });
    expect(result.code).toBe(0);
    expectShown(shown(result.stderr + result.stdout), block(DOC, "rotate-env", "output"));
  });

  it("shows a running app switching keys, in usage() and events", async () => {
    const { env, current, next } = await prepare();
    await project().write("secrets/oncehub-api-key", `${current}\n`, 0o600);
    const result = await project().node(block(DOC, "confirm"), "ts", { env: { ...env, NEW_KEY: next } });
    expect(result.stderr).toBe("");
    expectShown(result.stdout, block(DOC, "confirm", "output"));
    const [rotatedLine, newest, oldest] = result.stdout.trim().split("\n");
    expect(rotatedLine).toBe(`key:rotated ${keyFingerprint(current)} -> ${keyFingerprint(next)}`);
    expect(newest?.startsWith(keyFingerprint(next))).toBe(true);
    expect(oldest?.startsWith(keyFingerprint(current))).toBe(true);
  });
});
