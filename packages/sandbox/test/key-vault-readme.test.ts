import { describe, expect, it } from "@jest/globals";
import { SecretClient } from "@azure/keyvault-secrets";
import { startFakeKeyVault } from "../src/index.js";
import { functionBody, readmeBlock } from "./readme-example.js";

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
  await client.setSecret("oncehub-api-key", "key-3"); // PUT /secrets/{name}: what a rotation does
  console.log((await client.getSecret("oncehub-api-key")).value); // key-3
  await vault.close();
}

describe("README", () => {
  it("runs the fake Key Vault example as printed", async () => {
    const logged: unknown[][] = [];
    await fakeVaultExample({ log: (...values) => logged.push(values) });
    expect(logged).toEqual([["key-2"], ["key-1"], ["key-3"]]);
  });

  it("shows the same fake Key Vault example as this test runs", () => {
    const shown = readmeBlock("## Fake Azure Key Vault");

    expect(shown).not.toBe("");
    expect(functionBody(__filename, "fakeVaultExample")).toBe(shown);
  });
});
