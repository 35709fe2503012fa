import { SecretClient } from "@azure/keyvault-secrets";
import type { FakeKeyVault } from "@oncekey/sandbox";

/** What a test checks of a secret version: its value and what Key Vault keeps beside it. */
export interface VaultSecret {
  readonly value: string | undefined;
  readonly version: string | undefined;
  readonly contentType: string | undefined;
  readonly tags: Readonly<Record<string, string>> | undefined;
}

/**
 * Reads a version of a secret (the latest when `version` is left out) from the fake vault with the real Azure
 * SDK, as an app would: what the command wrote is checked where the app finds it.
 *
 * @example
 * ```ts
 * expect(await readVaultSecret(vault, "oncehub-api-key")).toMatchObject({ value: newKey, version });
 * ```
 */
export async function readVaultSecret(
  vault: FakeKeyVault,
  name: string,
  version?: string,
): Promise<VaultSecret> {
  const credential = {
    getToken: async () => ({ token: "test-reader", expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  const client = new SecretClient(vault.url, credential, {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: vault.ca },
    retryOptions: { maxRetries: 0 },
  });
  const secret = await client.getSecret(name, version === undefined ? {} : { version });
  return {
    value: secret.value,
    version: secret.properties.version,
    contentType: secret.properties.contentType,
    tags: secret.properties.tags,
  };
}
