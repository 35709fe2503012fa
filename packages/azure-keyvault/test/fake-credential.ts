import type { TokenCredential } from "@azure/identity";
import type { SecretClientOptions } from "@azure/keyvault-secrets";
import type { FakeKeyVault } from "@oncekey/sandbox";

/** A credential that hands out one fixed token, as the fake vault accepts any by default. */
export class FakeCredential implements TokenCredential {
  calls = 0;
  constructor(private readonly token = "test-token") {}
  async getToken(): Promise<{ token: string; expiresOnTimestamp: number }> {
    this.calls += 1;
    return { token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

/** Client options that trust the fake vault and keep the SDK's retries short. */
export function clientOptionsFor(vault: FakeKeyVault): SecretClientOptions {
  return {
    tlsOptions: { ca: vault.ca },
    retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  };
}
