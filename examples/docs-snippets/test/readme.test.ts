import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { useSandbox } from "@oncekey/test-support";
import { block, REPO } from "./support/markdown.js";
import { useProject } from "./support/project.js";

const README = join(REPO, "README.md");

// The root README's examples in a project where the packages are installed, against the sandbox: its base URL and
// CA given the way the README says (ONCEHUB_BASE_URL, ONCEKEY_CA_FILE), its key where each example reads it.
describe("README.md", () => {
  const sandbox = useSandbox({ rateLimit: false });
  const project = useProject();

  async function sandboxEnv(): Promise<Record<string, string>> {
    await project().write("ca.pem", sandbox().ca);
    return { ONCEHUB_BASE_URL: sandbox().baseUrl, ONCEKEY_CA_FILE: join(project().dir, "ca.pem") };
  }

  it("one key from the environment", async () => {
    const env = { ...(await sandboxEnv()), ONCEHUB_API_KEY: sandbox().key };
    const result = await project().node(block(README, "one-key"), "ts", { env });
    expect(result.stderr).toBe("");
    const lines = result.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line).toMatch(/^admin@example\.com BKNG-\w+$/);
  });

  it("the source chosen by configuration", async () => {
    await project().write("secrets/oncehub", `${sandbox().key}\n`, 0o600);
    const env = {
      ...(await sandboxEnv()),
      ONCEKEY_SOURCE: "file,env",
      ONCEKEY_FILE_PATH: join(project().dir, "secrets", "oncehub"),
    };
    const result = await project().node(block(README, "by-configuration"), "ts", { env });
    expect(result).toMatchObject({ code: 0, stdout: "admin@example.com\n", stderr: "" });
  });

  it("one key per tenant", async () => {
    const acme = sandbox().accounts.create("acme@example.com");
    await project().write("secrets/oncehub/acme", `${acme.key}\n`, 0o600);
    // The README's /run/secrets/oncehub is the project's secrets/oncehub here.
    const code = block(README, "per-tenant").replace(
      "/run/secrets/oncehub/",
      `${project().dir}/secrets/oncehub/`,
    );
    expect(code).not.toBe(block(README, "per-tenant"));
    const result = await project().node(code, "ts", { env: await sandboxEnv() });
    expect(result).toMatchObject({ code: 0, stdout: "10\n", stderr: "" });
    expect(sandbox().requests.last()).toMatchObject({ accountId: acme.id, path: "/v2/bookings" });
  });
});
