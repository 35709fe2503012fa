import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { startSandbox } from "@oncekey/sandbox";
import { eventually, freePort } from "@oncekey/test-support";
import { block, blocksOf, REPO } from "./support/markdown.js";
import { useProject } from "./support/project.js";
import { asShown, expectShown, SHOWN_PORT, SHOWN_PROJECT_DIR } from "./support/shown.js";

const DOC = join(REPO, "docs", "getting-started.md");
const run = (id: string) => block(DOC, id);
const shown = (id: string) => block(DOC, id, "output");

// Every step of the page, in a fresh project where the published packages are installed (linked from the
// workspace), against the sandbox: the command-line sandbox for steps 2 to 4, an in-process one standing in for
// OnceHub in steps 6 and 7 (whose email is the doc's you@example.com).
describe("docs/getting-started.md", () => {
  const project = useProject();

  it("installs only published packages", () => {
    const install = blocksOf(DOC).find((b) => b.code.includes("npm install"));
    const names = [...(install?.code ?? "").matchAll(/@oncekey\/[a-z-]+/g)].map((m) => m[0]);
    expect(names).toEqual(["@oncekey/core", "@oncekey/env", "@oncekey/file", "@oncekey/cli"]);
    for (const name of names) expect(() => require.resolve(`${name}/package.json`)).not.toThrow();
  });

  it("steps 2 to 4: the sandbox command, oncekey check, the first call", async () => {
    const port = await freePort();
    const atPort = (script: string) => script.replaceAll(String(SHOWN_PORT), String(port));
    const replacements = [
      [project().dir, SHOWN_PROJECT_DIR],
      [new RegExp(`(?<=127\\.0\\.0\\.1:|--port )${port}\\b`, "g"), String(SHOWN_PORT)],
    ] as const;

    const server = project().start(atPort(run("sandbox")));
    await eventually(() => server.output().includes("Try it:"), { what: "the sandbox's banner" });
    // Nothing more is printed until Ctrl+C; give a late line the time to show.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expectShown(asShown(server.output(), replacements), shown("sandbox"));

    const check = await project().sh(atPort(run("check-sandbox")));
    expect(check.code).toBe(0);
    expectShown(asShown(check.stderr + check.stdout, replacements), shown("check-sandbox"));

    await project().write("app.js", run("app"));
    // The app runs in the second terminal: with the variables the block's first line (eval) sets.
    const printed = await project().sh(`${atPort(run("check-sandbox").split("\n")[0] ?? "")}\nenv`);
    const vars = Object.fromEntries(
      printed.stdout
        .split("\n")
        .filter((line) => /^(ONCEHUB_BASE_URL|ONCEHUB_API_KEY|ONCEKEY_CA_FILE)=/.test(line))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    expect(Object.keys(vars).sort()).toEqual(["ONCEHUB_API_KEY", "ONCEHUB_BASE_URL", "ONCEKEY_CA_FILE"]);
    const app = await project().sh(run("run-app"), { env: vars });
    expect(app.stderr).toBe("");
    expectShown(app.stdout, shown("run-app"));
    expect(app.stdout).toContain("\n7 scheduled bookings");
  });

  it("step 5: the sandbox in a test", async () => {
    const result = await project().node(run("sandbox-in-tests"), "ts");
    expect(result.stderr).toBe("");
    expectShown(result.stdout, shown("sandbox-in-tests"));
  });

  describe("steps 6 and 7, with a sandbox standing in for OnceHub", () => {
    it("stores the key in a file, checks it, and calls OnceHub from configuration", async () => {
      const sandbox = await startSandbox({ rateLimit: false, email: "you@example.com" });
      try {
        await project().write("ca.pem", sandbox.ca);
        const onceHub = { ONCEHUB_BASE_URL: sandbox.baseUrl, ONCEKEY_CA_FILE: join(project().dir, "ca.pem") };
        const replacements = [[project().dir, SHOWN_PROJECT_DIR]] as const;

        const check = await project().sh(run("real-check"), { env: onceHub, input: `${sandbox.key}\n` });
        expect(check.stderr).toBe("");
        expectShown(asShown(check.stdout, replacements), shown("real-check"));

        await project().write("app.js", run("app-from-environment"));
        const fileSource = {
          ONCEKEY_SOURCE: "file",
          ONCEKEY_FILE_PATH: "./secrets/oncehub-api-key",
        };
        const app = await project().sh(run("run-app-from-environment"), {
          env: { ...onceHub, ...fileSource },
        });
        expect(app.stderr).toBe("");
        expectShown(asShown(app.stdout, replacements), shown("run-app-from-environment"));
      } finally {
        await sandbox.close();
      }
    });

    it("keeps one key per tenant", async () => {
      const sandbox = await startSandbox({ rateLimit: false });
      try {
        const acme = sandbox.accounts.create("acme@example.com");
        const globex = sandbox.accounts.create("globex@example.com");
        await project().write("ca.pem", sandbox.ca);
        const onceHub = { ONCEHUB_BASE_URL: sandbox.baseUrl, ONCEKEY_CA_FILE: join(project().dir, "ca.pem") };
        const replacements = [[project().dir, SHOWN_PROJECT_DIR]] as const;

        const check = await project().sh(run("tenants"), {
          env: { ...onceHub, ACME_KEY: acme.key, GLOBEX_KEY: globex.key },
        });
        expect(check.stderr).toBe("");
        expectShown(asShown(check.stdout, replacements), shown("tenants"));

        await project().write("tenants.js", run("tenants-app"));
        const app = await project().sh(run("run-tenants-app"), {
          env: { ...onceHub, ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: "./secrets/tenants/{tenant}" },
        });
        expect(app.stderr).toBe("");
        expectShown(app.stdout, shown("run-tenants-app"));
      } finally {
        await sandbox.close();
      }
    });
  });
});
