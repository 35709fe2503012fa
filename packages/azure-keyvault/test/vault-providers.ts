import { afterAll, afterEach, beforeAll } from "@jest/globals";
import type { KeyProvider } from "@oncekey/core";
import { startFakeKeyVault, type FakeKeyVault } from "@oncekey/sandbox";
import { fromAzureKeyVault, type FromAzureKeyVaultOptions } from "../src/index.js";
import { clientOptionsFor, FakeCredential } from "./fake-credential.js";

/**
 * Starts a fake vault for the enclosing block (handed to `use`), and returns a factory of providers reading it
 * with a fake credential. After each test the providers are closed and the vault's faults and calls cleared.
 *
 * @example
 * ```ts
 * let vault: FakeKeyVault;
 * const provider = useVaultProviders((started) => (vault = started));
 * const keys = provider({ secretName: "oncehub-{tenant}" });
 * ```
 */
export function useVaultProviders(
  use: (vault: FakeKeyVault) => void,
  defaults: Partial<FromAzureKeyVaultOptions> = {},
): (options?: Partial<FromAzureKeyVaultOptions>) => KeyProvider {
  let vault: FakeKeyVault | undefined;
  const opened: KeyProvider[] = [];
  beforeAll(async () => {
    vault = await startFakeKeyVault();
    use(vault);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((keys) => keys.close?.()));
    vault?.faults.clear();
    vault?.calls.clear();
  });
  afterAll(async () => {
    await vault?.close();
  });
  return (options = {}) => {
    if (vault === undefined) throw new Error("The fake vault runs only inside this block's tests.");
    const keys = fromAzureKeyVault({
      vaultUrl: vault.url,
      secretName: "oncehub-api-key",
      credential: new FakeCredential(),
      clientOptions: clientOptionsFor(vault),
      ...defaults,
      ...options,
    });
    opened.push(keys);
    return keys;
  };
}
