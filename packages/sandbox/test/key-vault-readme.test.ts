import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SecretClient } from "@azure/keyvault-secrets";
import { startFakeKeyVault } from "../src/index.js";

// The body of this function is the README's fake Key Vault example, verbatim but for its import lines; the
// second test checks that they stay the same.
async function fakeVaultExample(console: { log: (...values: unknown[]) => void }): Promise<void> {
  const vault = await startFakeKeyVault();
  const first = vault.setSecret("oncehub-api-key", "key-1"); // returns the version id
  vault.setSecret("oncehub-api-key", "key-2"); // a new latest version

  const credential = { getToken: async () => ({ token: "any", expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const client = new SecretClient(vault.url, credential, {
    disableChallengeResourceVerification: true, // the challenge names vault.azure.net, not 127.0.0.1
    tlsOptions: { ca: vault.ca },
  });
  console.log((await client.getSecret("oncehub-api-key")).value); // key-2
  console.log((await client.getSecret("oncehub-api-key", { version: first })).value); // key-1
  await vault.close();
}

describe("README", () => {
  it("runs the fake Key Vault example as printed", async () => {
    const logged: unknown[][] = [];
    await fakeVaultExample({ log: (...values) => logged.push(values) });
    expect(logged).toEqual([["key-2"], ["key-1"]]);
  });

  it("shows the same fake Key Vault example as this test runs", () => {
    const readme = readFileSync(path.join(__dirname, "../README.md"), "utf8");
    const block = /## Fake Azure Key Vault\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const shown = block
      .split("\n")
      .filter((line) => !line.startsWith("import "))
      .join("\n")
      .trim();
    const source = readFileSync(__filename, "utf8");
    const body = /async function fakeVaultExample[^\n]*\n([\s\S]*?)\n\}\n/.exec(source)?.[1] ?? "";
    const run = body
      .split("\n")
      .map((line) => line.replace(/^ {2}/, ""))
      .join("\n")
      .trim();
    expect(shown).not.toBe("");
    expect(run).toBe(shown);
  });
});
