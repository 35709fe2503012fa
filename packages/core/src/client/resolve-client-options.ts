import { checkCaCertificates } from "../config/check-ca-certificates.js";
import { DEFAULT_BASE_URL, parseBaseUrl } from "../config/parse-base-url.js";
import { baseUrlFromEnv, caFromEnv } from "../config/transport-from-env.js";
import { ConfigError } from "../errors/config-error.js";
import { checkOptionNames } from "../options/check-option-names.js";
import { functionOption } from "../options/function-option.js";
import { numberOption } from "../options/number-option.js";
import type { ClientPacing } from "../transport/pacing/client-pacing.js";
import { resolvePacing } from "../transport/pacing/resolve-pacing.js";
import type { RotationPolicy } from "../transport/refresh-rejected-key.js";
import { resolveRetryPolicy, type RetryPolicy } from "../transport/retry-policy.js";
import type { OnceHubClientOptions } from "./once-hub-client-options.js";

/** The client's options, checked, with every default filled in. */
export interface ResolvedClientOptions {
  readonly origin: string;
  /** The base URL's path, without a trailing slash (e.g. `/v2`). */
  readonly basePath: string;
  readonly baseUrl: string;
  /** Extra trusted CA certificates, PEM, checked. */
  readonly ca: string | undefined;
  readonly pacing: ClientPacing | undefined;
  readonly retry: RetryPolicy;
  readonly rotation: RotationPolicy;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly connections: number;
}

const WHERE = "OnceHubClient";
const OPTION_NAMES = [
  "keys",
  "baseUrl",
  "ca",
  "tenant",
  "pacing",
  "retry",
  "timeouts",
  "rotation",
  "connections",
  "onEvent",
] as const satisfies readonly (keyof OnceHubClientOptions)[];
/** The most sockets a client may open to OnceHub: far above what its rate limits can use. */
const MAX_CONNECTIONS = 1_024;

/**
 * Checks every option of the client at construction, so a mistake is a clear error at start-up: an `http:` base
 * URL is an {@link InsecureTransportError}, anything else wrong (an unknown option included) a
 * {@link ConfigError} naming the option. Without `baseUrl` (`ca`), the documented variable `ONCEHUB_BASE_URL`
 * (`ONCEKEY_CA_FILE`) of `env` is used, as `OnceHubClient.fromEnvironment` would.
 *
 * @param options - The client's options.
 * @param env - Where the defaults of `baseUrl` and `ca` are read: `process.env` for a client built in code, nothing
 *   for one built by `fromEnvironment` (which read its own `env` already).
 */
export function resolveClientOptions(
  options: OnceHubClientOptions,
  env: Readonly<Record<string, unknown>> = process.env,
): ResolvedClientOptions {
  checkOptionNames(options, OPTION_NAMES, WHERE);
  if (typeof options?.keys?.getKey !== "function") {
    throw new ConfigError(
      "OnceHubClient needs `keys`: a KeyProvider such as fromEnv() or resolveKeyProvider(…).",
      { variable: "keys" },
    );
  }
  functionOption(options.onEvent, "onEvent", "receives each event", WHERE);
  // Only what was left out is read from the environment.
  const url =
    options.baseUrl === undefined
      ? (baseUrlFromEnv(env) ?? parseBaseUrl(DEFAULT_BASE_URL, "baseUrl"))
      : parseBaseUrl(options.baseUrl, "baseUrl");
  const ca = options.ca === undefined ? caFromEnv(env) : checkCaCertificates(options.ca, "`ca`", "ca");
  checkOptionNames(options.timeouts, ["connectMs", "headersMs", "bodyMs", "totalMs"], WHERE, "timeouts");
  checkOptionNames(options.rotation, ["waitForNewKeyMs", "pollIntervalMs"], WHERE, "rotation");
  const timeouts = options.timeouts ?? {};
  const rotation = options.rotation ?? {};
  const ms = (value: unknown, name: string, fallback: number, positive = true): number =>
    numberOption(value, name, fallback, { exclusiveMin: positive, unit: "ms" }, WHERE);
  return {
    origin: url.origin,
    basePath: url.path,
    baseUrl: url.href,
    ca,
    retry: resolveRetryPolicy(options.retry),
    rotation: {
      waitForNewKeyMs: ms(rotation.waitForNewKeyMs, "rotation.waitForNewKeyMs", 0, false),
      pollIntervalMs: ms(rotation.pollIntervalMs, "rotation.pollIntervalMs", 100),
    },
    connectTimeoutMs: ms(timeouts.connectMs, "timeouts.connectMs", 10_000),
    headersTimeoutMs: ms(timeouts.headersMs, "timeouts.headersMs", 30_000),
    bodyTimeoutMs: ms(timeouts.bodyMs, "timeouts.bodyMs", 30_000),
    totalTimeoutMs: ms(timeouts.totalMs, "timeouts.totalMs", 60_000),
    connections: numberOption(
      options.connections,
      "connections",
      64,
      { min: 1, max: MAX_CONNECTIONS, integer: true },
      WHERE,
    ),
    // Last: it registers the client's listener with the store, which must not happen for options that fail.
    pacing: resolvePacing(options.pacing, options.onEvent),
  };
}
