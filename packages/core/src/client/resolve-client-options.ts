import { checkCaCertificates } from "../config/check-ca-certificates.js";
import { DEFAULT_BASE_URL } from "../config/load-config.js";
import { describeConfigValue } from "../config/quotable-config-value.js";
import { ConfigError } from "../errors/config-error.js";
import { InsecureTransportError } from "../errors/insecure-transport-error.js";
import { KeyPacer } from "../transport/key-pacer.js";
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
  readonly pacer: KeyPacer | undefined;
  readonly retry: RetryPolicy;
  readonly rotation: RotationPolicy;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly connections: number;
}

/**
 * Checks every option of the client at construction, so a mistake is a clear error at start-up: an `http:` base
 * URL is an {@link InsecureTransportError}, anything else wrong a {@link ConfigError} naming the option.
 */
export function resolveClientOptions(options: OnceHubClientOptions): ResolvedClientOptions {
  if (typeof options?.keys?.getKey !== "function") {
    throw new ConfigError(
      "OnceHubClient needs `keys`: a KeyProvider such as fromEnv() or resolveKeyProvider(…).",
      {
        variable: "keys",
      },
    );
  }
  const url = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  if (options.onEvent !== undefined && typeof options.onEvent !== "function") {
    throw new ConfigError("onEvent must be a function that receives each event.", { variable: "onEvent" });
  }
  const pacing = options.pacing ?? {};
  const timeouts = options.timeouts ?? {};
  const rotation = options.rotation ?? {};
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ""),
    baseUrl: url.href.replace(/\/+$/, ""),
    ca: options.ca === undefined ? undefined : checkCaCertificates(options.ca, "`ca`", "ca"),
    pacer:
      pacing === false
        ? undefined
        : new KeyPacer(
            positive(pacing.requestsPerSecond ?? 5, "pacing.requestsPerSecond"),
            atLeastOne(pacing.burst ?? 5, "pacing.burst"),
          ),
    retry: resolveRetryPolicy(options.retry),
    rotation: {
      waitForNewKeyMs: nonNegative(rotation.waitForNewKeyMs ?? 0, "rotation.waitForNewKeyMs"),
      pollIntervalMs: positive(rotation.pollIntervalMs ?? 100, "rotation.pollIntervalMs"),
    },
    connectTimeoutMs: positive(timeouts.connectMs ?? 10_000, "timeouts.connectMs"),
    headersTimeoutMs: positive(timeouts.headersMs ?? 30_000, "timeouts.headersMs"),
    bodyTimeoutMs: positive(timeouts.bodyMs ?? 30_000, "timeouts.bodyMs"),
    connections: atLeastOne(options.connections ?? 64, "connections"),
  };
}

function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not repeated, nor the scheme below: a key passed in the wrong option must not reach a log.
    throw new ConfigError(
      `baseUrl (${describeConfigValue(raw, "url")}) is not a URL. Use the API base, e.g. ${DEFAULT_BASE_URL}.`,
      { variable: "baseUrl" },
    );
  }
  if (url.protocol !== "https:") {
    // Only http is named: the part of a key before a colon would parse as a scheme.
    throw new InsecureTransportError(
      `baseUrl ${url.protocol === "http:" ? "uses http, but" : "is not an https:// URL:"} the API key may only ` +
        "travel over https. Use an https:// URL (for a private CA, pass `ca`). No connection was opened.",
      url.protocol === "http:" ? { source: url.origin } : {},
    );
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new ConfigError(
      `baseUrl must not hold credentials, a query or a fragment. Use the bare API base, e.g. ${DEFAULT_BASE_URL}.`,
      { variable: "baseUrl" },
    );
  }
  return url;
}

function positive(value: number, name: string): number {
  if (!(typeof value === "number" && value > 0 && Number.isFinite(value))) {
    throw new ConfigError(`${name} must be a positive number, got ${String(value)}.`, { variable: name });
  }
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!(typeof value === "number" && value >= 0 && Number.isFinite(value))) {
    throw new ConfigError(`${name} must be zero or a positive number, got ${String(value)}.`, {
      variable: name,
    });
  }
  return value;
}

function atLeastOne(value: number, name: string): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new ConfigError(`${name} must be an integer of at least 1, got ${String(value)}.`, {
      variable: name,
    });
  }
  return value;
}
