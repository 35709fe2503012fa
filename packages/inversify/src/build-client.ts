import { OnceHubClient, type KeyProvider, type OnceHubClientOptions } from "@oncekey/core";

/**
 * Builds the module's client, which checks every client option (an `http:` base URL is an
 * `InsecureTransportError`, anything else wrong a `ConfigError` naming the option): this is the load's check, and
 * the client it builds is the one the container hands out. A client holds no connection until its first request.
 *
 * @param options - The client's options, with `keys`.
 * @param built - Whether the module built `options.keys` itself: then a client that cannot be built leaves the
 *   provider to nobody, so it is closed here. A provider the caller passed stays the caller's.
 * @throws What the client's constructor throws.
 * @example
 * ```ts
 * const client = buildClient({ ...settings.client, keys, baseUrl: config.baseUrl }, { built: true });
 * ```
 */
export function buildClient(options: OnceHubClientOptions, { built }: { built: boolean }): OnceHubClient {
  try {
    return new OnceHubClient(options);
  } catch (error) {
    if (built) closeQuietly(options.keys);
    throw error;
  }
}

/** Closes a provider whose failure to close must not hide the error that made the load fail. */
function closeQuietly(keys: KeyProvider): void {
  try {
    void Promise.resolve(keys.close?.()).catch(() => undefined);
  } catch {
    // A close that throws at once: the load's own error is the one to report.
  }
}
