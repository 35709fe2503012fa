import type { KeySource } from "../config/key-source.js";
import type { PacingSource } from "../config/pacing-source.js";
import type { OnceKeyEventListener } from "../events/once-key-event.js";
import type { KeyProvider } from "../providers/key-provider.js";
import type {
  PacingOptions,
  RetryOptions,
  RotationOptions,
  TimeoutOptions,
} from "../transport/transport-options.js";

/**
 * Options of {@link OnceHubClient}.
 *
 * @example
 * ```ts
 * const client = new OnceHubClient({
 *   keys: fromFile({ path: "/run/secrets/oncehub" }),
 *   retry: { maxAttempts: 5 },
 *   timeouts: { headersMs: 10_000 },
 *   onEvent: (event) => logger.debug(event),
 * });
 * ```
 */
export interface OnceHubClientOptions {
  /** Where the API key comes from: `fromEnv()`, `fromFile(…)`, `resolveKeyProvider(…)`, `staticKey(…)`. */
  readonly keys: KeyProvider;
  /**
   * The API base. `https:` only: an `http:` URL is an `InsecureTransportError` here, before any socket opens.
   * @defaultValue `"https://api.oncehub.com/v2"`
   */
  readonly baseUrl?: string | undefined;
  /**
   * Extra CA certificates (PEM) to trust besides the public ones: a sandbox, a corporate proxy. TLS verification
   * itself cannot be turned off.
   * @defaultValue none
   */
  readonly ca?: string | Buffer | undefined;
  /**
   * The tenant whose key this client uses; see also `forTenant`.
   * @defaultValue none (a single-tenant app)
   */
  readonly tenant?: string | undefined;
  /**
   * Per-key pacing, shared by every client of the process: OnceHub allows 5 requests per second per account.
   * `false` turns it off (benchmarks, or when something else paces).
   * @defaultValue `{ requestsPerSecond: 5, burst: 5 }`
   */
  readonly pacing?: PacingOptions | false | undefined;
  /**
   * Retries of 429, 500/502/503/504 and network failures, with exponential backoff and full jitter, honouring
   * `Retry-After`. A POST is retried only when OnceHub certainly did not process it: a failed connection or a
   * 429. `false`: one attempt.
   * @defaultValue `{ maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 5_000, maxElapsedMs: 30_000 }`
   */
  readonly retry?: RetryOptions | false | undefined;
  /**
   * @defaultValue `{ connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 }`
   */
  readonly timeouts?: TimeoutOptions | undefined;
  /**
   * What to do when OnceHub rejects a key and the source still serves it.
   * @defaultValue `{ waitForNewKeyMs: 0, pollIntervalMs: 100 }`
   */
  readonly rotation?: RotationOptions | undefined;
  /**
   * The most connections to OnceHub, shared by every client of the process with the same base URL and CA.
   * @defaultValue `64`
   */
  readonly connections?: number | undefined;
  /**
   * Receives every event of the calls and of the keys this client uses: `request`, `retry`, `paced`,
   * `key:rejected`, and its provider's `key:loaded`, `key:rotated`, `key:stale`, `key:invalidated`,
   * `key:warning` (also published on `node:diagnostics_channel` as `oncekey:<type>`). Must not throw; an error it
   * throws is ignored.
   */
  readonly onEvent?: OnceKeyEventListener | undefined;
}

/**
 * Options of {@link OnceHubClient.fromEnvironment}: the client's options without `keys`, `baseUrl` and `ca`,
 * which come from the environment.
 *
 * @example
 * ```ts
 * const client = OnceHubClient.fromEnvironment({ sources: [envSource, fileSource], rotation: { waitForNewKeyMs: 5_000 } });
 * ```
 */
export interface FromEnvironmentOptions extends Omit<OnceHubClientOptions, "keys" | "baseUrl" | "ca"> {
  /** The key sources the app registers: `envSource`, `fileSource` … */
  readonly sources: readonly KeySource[];
  /**
   * The pacing stores the app registers (`redisPacingSource`); `ONCEKEY_PACING_STORE` picks among them. The
   * client owns the store it builds: `close()` closes it. A `pacing.store` in the options wins over the variable.
   * @defaultValue none: the in-process store
   */
  readonly pacingSources?: readonly PacingSource[];
  /**
   * The variables to read.
   * @defaultValue `process.env`
   */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
}
