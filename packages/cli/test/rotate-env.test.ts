import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { useSandbox, useTempDir } from "@oncekey/test-support";
import { jsonOf, runCli } from "./support/cli-process.js";

describe("oncekey rotate with the env source", () => {
  const sandbox = useSandbox();
  const dir = useTempDir("oncekey-cli-rotate-env-");

  it("refuses with exit 2, saying what to change and that processes must restart, before asking for the key", async () => {
    const caFile = join(dir.path, "ca.pem");
    await writeFile(caFile, sandbox().ca);
    const env = {
      ONCEHUB_API_KEY: sandbox().key,
      ONCEHUB_BASE_URL: sandbox().baseUrl,
      ONCEKEY_CA_FILE: caFile,
    };

    const run = await runCli(["rotate", "--json"], { env });

    expect(run.code).toBe(2);
    const report = jsonOf(run);
    expect(report).toMatchObject({ ok: false, written: null, error: { code: "SOURCE_NOT_WRITABLE" } });
    const { message } = report.error as { message: string };
    expect(message).toContain("Set ONCEHUB_API_KEY to the new key");
    expect(message).toContain("restart every process");
    // Refused before standard input was read: with none given, reading it would have failed with NO_NEW_KEY.
    expect(run.stderr).toBe("");
  });
});
