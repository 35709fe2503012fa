const HEADLINES: Readonly<Record<string, string>> = {
  CONFIG: "The configuration is wrong",
  KEY_NOT_FOUND: "No key found",
  KEY_FORMAT: "The key is malformed",
  KEY_SOURCE: "The key source failed",
  INVALID_TENANT: "The tenant id is not valid",
  INSECURE_TRANSPORT: "The base URL is not safe for a key",
  AUTHENTICATION: "OnceHub rejected the key",
  CURRENT_KEY_REJECTED: "OnceHub rejects the current key",
  NETWORK: "OnceHub could not be reached",
  TIMEOUT: "OnceHub did not answer in time",
  API_ERROR: "OnceHub failed to answer",
  RATE_LIMIT: "OnceHub kept refusing for the rate limit",
  INVALID_REQUEST: "OnceHub refused the request",
  USAGE: "Usage error",
  NO_NEW_KEY: "No new key on standard input",
  SOURCE_NOT_WRITABLE: "The key source cannot be written by the command",
  ACCOUNT_MISMATCH: "The new key belongs to another account",
  SAME_KEY: "The new key is the key already in place",
  WRITE_FAILED: "The new key could not be written",
  INTERRUPTED: "Interrupted",
};

/**
 * The one-line summary of a failure, by its code, for readable output.
 *
 * @param code - The error's code.
 * @param fallback - For a code without a headline of its own.
 * @example
 * ```ts
 * headlineFor("KEY_FORMAT", "The check failed"); // "The key is malformed"
 * ```
 */
export function headlineFor(code: string, fallback: string): string {
  return HEADLINES[code] ?? fallback;
}
