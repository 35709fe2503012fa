import { KeyNotFoundError, KeySourceError, type OnceKeyError } from "@oncekey/core";

/** What a message about a failed read names. */
export interface ReadContext {
  /** The vault URL. */
  readonly vaultUrl: string;
  /** The secret name read, as messages show it (`<ONCEKEY_KEYVAULT_SECRET>` for a name that may be a key). */
  readonly secretName: string;
  /**
   * Text not to repeat, with what stands in for it: the name read when `secretName` stands in for it, the pinned
   * version (32 hex digits could be a key pasted there). Blanked out of what the SDK says (its 404 repeats them).
   */
  readonly hidden: readonly (readonly [text: string, shown: string])[];
  /** Whether one version is pinned: messages speak of "the pinned version" without repeating its id. */
  readonly pinned: boolean;
  /** The `source` of keys from this secret. */
  readonly source: string;
  /** The credential's class name, e.g. `DefaultAzureCredential`. */
  readonly credentialName: string;
  /** The per-read time limit. */
  readonly timeoutMs: number;
}

interface RestErrorLike {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly statusCode?: number;
  readonly details?: {
    readonly error?: { readonly code?: string; readonly innerError?: { readonly code?: string } };
  };
}

const CREDENTIAL_ERRORS = [
  "CredentialUnavailableError",
  "AuthenticationError",
  "AggregateAuthenticationError",
];
const NETWORK_CODES = ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH"];

const PARSE_FAILURE = / occurred while parsing the response body/;
const BEARER = /\bBearer\s+[^\s"',;]+/gi;
const MAX_MESSAGE = 500;

/**
 * What the SDK said, safe to repeat. The SDK's message for a body it could not parse ends with that body, and the
 * body of a secret read holds the secret's value: it is cut off. A bearer token that a proxy or a service echoed
 * back is blanked. What is left is capped, since it goes into logs.
 */
export function safeMessage(message: unknown): string {
  let text = typeof message === "string" ? message : String(message);
  const parse = PARSE_FAILURE.exec(text);
  if (parse !== null) text = `${text.slice(0, parse.index + parse[0].length)} (the body is not repeated)`;
  text = text.replace(BEARER, "Bearer [redacted]");
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/**
 * A cause that keeps what the SDK said (made safe) but not its request object, whose headers carry the bearer
 * token, nor its response, whose body may carry the secret.
 */
function safeCause(error: RestErrorLike, say: (message: unknown) => string): Error {
  const cause = new Error(
    `${error.name}${error.statusCode ? ` ${error.statusCode}` : ""}: ${say(error.message)}`,
  );
  return Object.assign(cause, {
    name: error.name,
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
  });
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The caller Key Vault names in a 403 (access policy or RBAC wording). */
function callerIn(message: string): string | undefined {
  return (
    /The user, group or application '([^']+)'/.exec(message)?.[1] ??
    /Caller: ([^\r\n]+)/.exec(message)?.[1]?.trim()
  );
}

/**
 * Turns what `SecretClient.getSecret` threw into an oncekey error that says what to do.
 *
 * 404 `SecretNotFound` is a {@link KeyNotFoundError} (so `chain` can move on); every other failure (403, 401,
 * throttling and 5xx after the SDK's retries, network, timeout, no Azure credential) is a {@link KeySourceError}.
 * The cause never keeps the SDK's request, which holds the bearer token.
 */
export function mapKeyVaultError(error: unknown, context: ReadContext): OnceKeyError {
  const { vaultUrl, secretName, source } = context;
  const target = `secret "${secretName}"${context.pinned ? " (the pinned version)" : ""} in Key Vault ${vaultUrl}`;
  const say = (message: unknown): string =>
    context.hidden.reduce((text, [hidden, shown]) => text.split(hidden).join(shown), safeMessage(message));
  if (typeof error !== "object" || error === null) {
    return new KeySourceError(`Reading ${target} failed: ${say(error)}.`, { source });
  }
  const failure = error as RestErrorLike;
  const cause = safeCause(failure, say);
  const status = failure.statusCode;
  const serviceCode = failure.details?.error?.code ?? failure.code;
  const innerCode = failure.details?.error?.innerError?.code;

  if (status === 404) {
    return new KeyNotFoundError(
      `There is no ${target} (404 ${serviceCode ?? "SecretNotFound"}). Create it ` +
        `(az keyvault secret set --vault-name <vault> --name ${secretName} --file <key file>) or fix the secret name.`,
      { source, cause },
    );
  }
  if (status === 403 && innerCode === "SecretDisabled") {
    return new KeySourceError(
      `The ${target} is disabled (403 SecretDisabled). Enable it, or write a new enabled version.`,
      { source, cause },
    );
  }
  if (status === 403) {
    const caller = callerIn(say(failure.message)) ?? "the identity of the credential";
    return new KeySourceError(
      `${caller} (${context.credentialName}) lacks "get" permission on secrets in Key Vault ${vaultUrl}, so ` +
        `secret "${secretName}" cannot be read (403 ${innerCode ?? serviceCode ?? "Forbidden"}). Grant it the ` +
        `"Key Vault Secrets User" role on the vault, or "Get" in the vault's secret access policy.`,
      { source, cause },
    );
  }
  if (status === 401) {
    return new KeySourceError(
      `Key Vault ${vaultUrl} refused the token of ${context.credentialName} (401). Check that the credential ` +
        "belongs to the vault's Microsoft Entra tenant.",
      { source, cause },
    );
  }
  if (status === 429) {
    return new KeySourceError(
      `Key Vault ${vaultUrl} throttled reading secret "${secretName}" (429) after the SDK's retries. ` +
        "Read less often (keep the default cache, or lengthen ttlMs / refreshAheadMs) or spread tenants over vaults.",
      { source, cause },
    );
  }
  if (status !== undefined && status >= 500) {
    return new KeySourceError(
      `Key Vault ${vaultUrl} failed reading secret "${secretName}" (${[status, serviceCode].join(" ").trim()}) after the ` +
        "SDK's retries. Try again later.",
      { source, cause },
    );
  }
  if (failure.name === "AbortError" || failure.name === "TimeoutError") {
    return new KeySourceError(
      `Key Vault ${vaultUrl} did not answer reading secret "${secretName}" within ${context.timeoutMs} ms.`,
      { source, cause },
    );
  }
  if (CREDENTIAL_ERRORS.includes(failure.name)) {
    return new KeySourceError(
      `${capitalized(context.credentialName)} could not get a token for Key Vault ${vaultUrl}: ` +
        `${say(failure.message).split("\n")[0]} Sign in (az login), use a managed identity, set AZURE_CLIENT_ID, ` +
        "AZURE_TENANT_ID and AZURE_CLIENT_SECRET, or pass `credential`.",
      { source, cause },
    );
  }
  if (failure.code !== undefined && NETWORK_CODES.includes(failure.code)) {
    return new KeySourceError(
      `Could not reach Key Vault ${vaultUrl} (${failure.code}). Check the vault URL and the network.`,
      { source, cause },
    );
  }
  return new KeySourceError(`Reading ${target} failed: ${say(failure.message)}`, { source, cause });
}
