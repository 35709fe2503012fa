import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll } from "@jest/globals";
import { type FakeKeyVault, type Sandbox, startFakeKeyVault } from "@oncekey/sandbox";
import { startIdentityEndpoint, type IdentityEndpoint } from "./identity-endpoint.js";

/** The fake vault and the managed identity endpoint of a test file, and the configuration of an app using them. */
export interface Azure {
  readonly vault: FakeKeyVault;
  readonly identity: IdentityEndpoint;
  /**
   * What an app in Azure reading `secret` has in its environment (the credential: managed identity), with
   * `ONCEHUB_BASE_URL` pointing at the sandbox and one CA file, written in `dir`, for both servers.
   */
  env(secret: string, dir: string): Promise<Record<string, string>>;
}

/**
 * Starts a fake Key Vault and an identity endpoint before the file's tests and closes them after; returns the
 * accessor of both, for tests that run the command as an app in Azure would.
 *
 * @param sandbox - The file's sandbox, standing in for OnceHub.
 * @example
 * ```ts
 * const sandbox = useSandbox();
 * const azure = useAzure(sandbox);
 * const env = await azure().env("oncehub-api-key", dir.path);
 * ```
 */
export function useAzure(sandbox: () => Sandbox): () => Azure {
  let azure: Azure | undefined;
  beforeAll(async () => {
    const [vault, identity] = await Promise.all([startFakeKeyVault(), startIdentityEndpoint()]);
    azure = {
      vault,
      identity,
      env: async (secret, dir) => {
        const caFile = join(dir, "ca.pem");
        await writeFile(caFile, `${sandbox().ca}\n${vault.ca}`);
        return {
          ...identity.env,
          ONCEKEY_SOURCE: "azure-keyvault",
          ONCEKEY_KEYVAULT_URL: vault.url,
          ONCEKEY_KEYVAULT_SECRET: secret,
          ONCEHUB_BASE_URL: sandbox().baseUrl,
          ONCEKEY_CA_FILE: caFile,
        };
      },
    };
  });
  afterAll(async () => {
    await Promise.all([azure?.vault.close(), azure?.identity.close()]);
  });
  return () => {
    if (azure === undefined)
      throw new Error("useAzure: the vault is started in beforeAll; read it in a test");
    return azure;
  };
}
