import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { holdsKey } from "@oncekey/sandbox";
import { useSandbox, useTempDir } from "@oncekey/test-support";
import { runInTerminal } from "./support/terminal-process.js";

const ESC = "\u001b";
// Escape sequences that set colours (SGR), as opposed to the one that erases the progress line.
const COLOUR = new RegExp(`${ESC}\\[\\d+m`);
const ANY_SEQUENCE = new RegExp(`${ESC}\\[[0-9;]*[A-Za-z]`, "g");
/** What a person reads: the output without its escape sequences. */
const readable = (text: string): string => text.replace(ANY_SEQUENCE, "");

describe("at a terminal", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-terminal-");

  async function fileEnv(): Promise<{ keyFile: string; current: string; env: Record<string, string> }> {
    const current = sandbox().keys.create(sandbox().account.id, "current");
    const keyFile = join(dir.path, "oncehub-api-key");
    await writeFile(keyFile, `${current}\n`, { mode: 0o600 });
    const caFile = join(dir.path, "ca.pem");
    await writeFile(caFile, sandbox().ca);
    return {
      keyFile,
      current,
      env: {
        ONCEKEY_SOURCE: "file",
        ONCEKEY_FILE_PATH: keyFile,
        ONCEHUB_BASE_URL: sandbox().baseUrl,
        ONCEKEY_CA_FILE: caFile,
      },
    };
  }

  it("rotate prompts for the new key and does not echo what is typed", async () => {
    const { keyFile, env } = await fileEnv();
    const newKey = sandbox().keys.create(sandbox().account.id, "typed");

    const run = await runInTerminal(["rotate"], {
      env,
      type: { after: "typing is hidden", keys: `${newKey}\r` },
    });

    expect(run.stdout).toContain("New OnceHub API key (typing is hidden): ");
    expect(run.code).toBe(0);
    expect(await readFile(keyFile, "utf8")).toBe(`${newKey}\n`);
    // A terminal in its normal mode echoes every character typed; none of the key came back.
    expect(holdsKey(run.stdout, newKey)).toBe(false);
    expect(readable(run.stdout)).toContain("The new key is in place");
    expect(run.stdout).toMatch(COLOUR);
  });

  it("rotate gives up on Ctrl+C at the prompt, writes nothing and restores the terminal", async () => {
    const { keyFile, env } = await fileEnv();
    const before = await stat(keyFile);

    const run = await runInTerminal(["rotate"], {
      env,
      type: { after: "typing is hidden", keys: "abc\u0003" },
    });

    expect(run.code).toBe(1);
    expect(readable(run.stdout)).toContain("Interrupted (INTERRUPTED, exit 1)");
    expect(readable(run.stdout)).toContain("Nothing was written.");
    expect((await stat(keyFile)).mtimeMs).toBe(before.mtimeMs);
  });

  it("check shows colour and a progress line on a terminal, and no colour with NO_COLOR", async () => {
    const { env } = await fileEnv();

    const coloured = await runInTerminal(["check"], { env });
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toMatch(COLOUR);
    expect(readable(coloured.stdout)).toContain("Checking the key with OnceHub (GET /test)…");

    const plain = await runInTerminal(["check"], { env: { ...env, NO_COLOR: "1" } });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("✓ The key works for admin@example.com.");
    expect(plain.stdout).not.toMatch(COLOUR);
  });
});
