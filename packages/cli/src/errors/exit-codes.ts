/**
 * The exit codes of every `oncekey` command, by what went wrong. A script branches on them; a person reads the
 * message.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | ok |
 * | 1 | anything else: a key source that failed, another account's key, a write that failed |
 * | 2 | configuration: no key, a malformed key, a bad configuration, an invalid tenant, a usage error |
 * | 3 | OnceHub rejected the key (401, or 403 for a plan without API access) |
 * | 4 | OnceHub unreachable: network, TLS, timeout, 5xx or 429 after the client's retries |
 *
 * @example
 * ```ts
 * process.exitCode = report.ok ? EXIT_CODES.ok : exitCodeFor(report.error.code);
 * ```
 */
export const EXIT_CODES = Object.freeze({
  /** 0: the command did what it was asked. */
  ok: 0,
  /** 1: anything else, e.g. a key source that failed, another account's key, a write that failed. */
  other: 1,
  /** 2: a configuration problem: no key, a malformed key, a bad setting, an invalid tenant, a usage error. */
  configuration: 2,
  /** 3: OnceHub rejected the key (401, or 403 for a plan without API access). */
  rejected: 3,
  /** 4: OnceHub could not be reached: network, TLS, timeout, or 5xx or 429 after the client's retries. */
  unreachable: 4,
} as const);

/** The error codes (`error.code` in `--json`) that mean a configuration problem: exit 2. */
const CONFIGURATION = new Set([
  "CONFIG",
  "KEY_NOT_FOUND",
  "KEY_FORMAT",
  "INVALID_TENANT",
  "INSECURE_TRANSPORT",
  "USAGE",
  "NO_NEW_KEY",
  "SOURCE_NOT_WRITABLE",
]);
/** OnceHub refused the key: exit 3. */
const REJECTED = new Set(["AUTHENTICATION", "CURRENT_KEY_REJECTED"]);
/** OnceHub could not be reached or did not answer usefully, after retries: exit 4. */
const UNREACHABLE = new Set(["NETWORK", "TIMEOUT", "RATE_LIMIT", "API_ERROR"]);

/**
 * The exit code for an error code of the library (`KEY_NOT_FOUND`, `AUTHENTICATION` …) or of the command
 * (`USAGE`, `ACCOUNT_MISMATCH` …); see {@link EXIT_CODES}.
 *
 * @param code - `error.code` as the `--json` output shows it.
 * @returns 2, 3, 4, or 1 for any other code.
 * @example
 * ```ts
 * exitCodeFor("KEY_FORMAT"); // 2
 * exitCodeFor("NETWORK"); // 4
 * ```
 */
export function exitCodeFor(code: string): number {
  if (CONFIGURATION.has(code)) return EXIT_CODES.configuration;
  if (REJECTED.has(code)) return EXIT_CODES.rejected;
  if (UNREACHABLE.has(code)) return EXIT_CODES.unreachable;
  return EXIT_CODES.other;
}
