import { rootCertificates } from "node:tls";
import type { KeyVaultSecretMetadata } from "@oncekey/azure-keyvault";
import type { ApiKey, OnceKeyConfig } from "@oncekey/core";
import { CommandError } from "../errors/command-error.js";
import { changedMeanwhile, holdsCurrentKey } from "./changed-meanwhile.js";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const TIMEOUT_MS = 30_000;

/**
 * Adds a new version of the Key Vault secret the current key was read from, holding `key`, with the client the
 * `azure-keyvault` source builds from configuration: the same vault URL and secret name (from
 * `keyVaultMetadata` of the current key), `DefaultAzureCredential`, and `ONCEKEY_CA_FILE` added to the public CAs.
 * First it reads the secret's latest version through the same client and writes only when that still holds
 * `previous`: when another rotation got there first, writing would replace its new key unseen. The new version
 * keeps the current one's content type and tags. The Azure SDK is loaded only here.
 *
 * @param current - Where the current key came from.
 * @param previous - The current key, which the secret must still hold.
 * @param key - The new key.
 * @param config - The configuration (`ca`).
 * @param shown - The secret as messages may name it (`azure-keyvault:<host>/<name>`).
 * @returns The new version's id.
 * @throws {@link CommandError} `WRITE_FAILED` when the secret no longer holds `previous` or is gone, or naming
 *   Key Vault's error code and status (never its message) when it cannot be read or written.
 * @example
 * ```ts
 * const version = await writeVaultSecret(keyVaultMetadata(currentKey)!, currentKey, newKey, config, currentKey.source);
 * ```
 */
export async function writeVaultSecret(
  current: KeyVaultSecretMetadata,
  previous: ApiKey,
  key: ApiKey,
  config: OnceKeyConfig,
  shown: string,
): Promise<string | undefined> {
  const [{ SecretClient }, { DefaultAzureCredential }] = await Promise.all([
    import("@azure/keyvault-secrets"),
    import("@azure/identity"),
  ]);
  const loopback = LOOPBACK_HOSTS.has(new URL(current.vaultUrl).hostname);
  const client = new SecretClient(current.vaultUrl, new DefaultAzureCredential(), {
    // A local vault (tests, the fake vault) cannot match the challenge's resource host; the source does the same.
    ...(loopback ? { disableChallengeResourceVerification: true } : {}),
    ...(config.ca === undefined ? {} : { tlsOptions: { ca: [...rootCertificates, config.ca] } }),
    userAgentOptions: { userAgentPrefix: "oncekey" },
  });
  let now: string | undefined;
  try {
    now = (await client.getSecret(current.secretName, { abortSignal: AbortSignal.timeout(TIMEOUT_MS) }))
      .value;
  } catch (error) {
    // Deleted meanwhile: no longer the current key either.
    if ((error as { statusCode?: unknown }).statusCode !== 404) throw vaultFailure(error, shown, "get");
  }
  if (!holdsCurrentKey(now, previous)) throw changedMeanwhile(shown);
  try {
    const written = await client.setSecret(current.secretName, key.reveal(), {
      ...(current.contentType === undefined ? {} : { contentType: current.contentType }),
      ...(Object.keys(current.tags).length === 0 ? {} : { tags: { ...current.tags } }),
      abortSignal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return written.properties.version;
  } catch (error) {
    throw vaultFailure(error, shown, "set");
  }
}

/** Key Vault's refusal as a `WRITE_FAILED` naming its code and status, never its message. */
function vaultFailure(error: unknown, shown: string, permission: "get" | "set"): CommandError {
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  const detail = [
    typeof code === "string" && /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : undefined,
    typeof statusCode === "number" ? `HTTP ${statusCode}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(", ");
  const why =
    statusCode === 403
      ? `the credential lacks the secrets ${permission} permission (an access policy with Get and Set, or the ` +
        "Key Vault Secrets Officer role)"
      : statusCode === 401 || (error as Error).name === "CredentialUnavailableError"
        ? "no Azure credential was accepted (DefaultAzureCredential: managed identity, AZURE_CLIENT_ID …, az login)"
        : "Key Vault refused or could not be reached";
  return new CommandError(
    "WRITE_FAILED",
    `No new version of ${shown} was written: ${why}${detail === "" ? "" : ` (${detail})`}.`,
  );
}
