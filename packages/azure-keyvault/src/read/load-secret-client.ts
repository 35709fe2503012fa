import type * as IdentityPackage from "@azure/identity";
import type { TokenCredential } from "@azure/identity";
import type * as SecretsPackage from "@azure/keyvault-secrets";
import type { SecretClient, SecretClientOptions } from "@azure/keyvault-secrets";

/** A Key Vault client and the name of its credential, for messages. */
export interface LoadedClient {
  readonly client: SecretClient;
  readonly credentialName: string;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * Loads a package on demand: `require` in the CommonJS build, because CommonJS hosts such as Jest cannot
 * `import()`; `import()` in the ES module build, where `require` does not exist.
 */
function loadPackage<T>(name: string): Promise<T> {
  // `module`, not `require`: a bundler rewrites a bare `require` in ES module output into a shim that exists.
  if (typeof module === "object" && typeof module.require === "function") {
    return Promise.resolve().then(() => module.require(name) as T);
  }
  return import(name) as Promise<T>;
}

/** Names a credential by its class, e.g. `DefaultAzureCredential`. */
export function credentialName(credential: TokenCredential): string {
  const name = (credential as { constructor?: { name?: string } }).constructor?.name;
  return name === undefined || name === "Object" ? "the credential" : name;
}

/**
 * Imports the Azure SDK and builds a `SecretClient`, with `DefaultAzureCredential` when no credential is given.
 *
 * The imports are dynamic so that neither Azure package is loaded unless a Key Vault source is used.
 * For a loopback vault (a local imitation in tests) the check that the challenge's resource matches the
 * vault's host is off by default: no loopback host can match `vault.azure.net`.
 */
export async function loadSecretClient(
  vaultUrl: string,
  credential: TokenCredential | undefined,
  clientOptions: SecretClientOptions | undefined,
): Promise<LoadedClient> {
  const { SecretClient } = await loadPackage<typeof SecretsPackage>("@azure/keyvault-secrets");
  const resolved =
    credential ?? new (await loadPackage<typeof IdentityPackage>("@azure/identity")).DefaultAzureCredential();
  const loopback = LOOPBACK_HOSTS.has(new URL(vaultUrl).hostname);
  const client = new SecretClient(vaultUrl, resolved, {
    ...(loopback ? { disableChallengeResourceVerification: true } : {}),
    ...clientOptions,
    userAgentOptions: { userAgentPrefix: clientOptions?.userAgentOptions?.userAgentPrefix ?? "oncekey" },
  });
  return { client, credentialName: credentialName(resolved) };
}
