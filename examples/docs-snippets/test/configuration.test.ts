import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { keyFingerprint } from "@oncekey/sandbox";
import { block, REPO } from "./support/markdown.js";
import { useProject } from "./support/project.js";

const DOC = join(REPO, "docs", "configuration.md");

describe("docs/configuration.md", () => {
  const project = useProject();

  it("registers the sources and lets the configuration pick one", async () => {
    const key = "Xq3dV8rT5nB2mK9wL4pZ7cF1hJ6sG0yA-oncekey_e";
    await project().write("secrets/oncehub", `${key}\n`, 0o600);
    const path = join(project().dir, "secrets", "oncehub");
    const result = await project().node(block(DOC, "sources"), "ts", {
      env: { ONCEKEY_SOURCE: "file,env", ONCEKEY_FILE_PATH: path },
    });
    expect(result).toMatchObject({
      code: 0,
      stdout: `ApiKey(${keyFingerprint(key)} from file:${path})\n`,
      stderr: "",
    });
  });
});
