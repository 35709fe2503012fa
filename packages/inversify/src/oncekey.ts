/**
 * The service identifiers that {@link OnceKeyModule} binds, under `Symbol.for` so that two copies of this package
 * in one app still agree on them.
 *
 * | identifier | bound to | type |
 * | --- | --- | --- |
 * | `ONCEKEY.KeyProvider` | the key provider the configuration selects | `KeyProvider` |
 * | `ONCEKEY.Client` | the OnceHub client over that provider | `OnceHubClient` |
 * | `ONCEKEY.Config` | the validated configuration (values redacted in logs) | `OnceKeyConfig` |
 *
 * All three are singletons of the container that loaded the module.
 *
 * @example
 * ```ts
 * @injectable()
 * class Bookings {
 *   constructor(@inject(ONCEKEY.Client) private readonly client: OnceHubClient) {}
 * }
 *
 * const client = container.get<OnceHubClient>(ONCEKEY.Client);
 * ```
 */
export const ONCEKEY = Object.freeze({
  /** The key provider the configuration selects (a `KeyProvider`); `Symbol.for("oncekey.KeyProvider")`. */
  KeyProvider: Symbol.for("oncekey.KeyProvider"),
  /** The OnceHub client over that provider (an `OnceHubClient`); `Symbol.for("oncekey.Client")`. */
  Client: Symbol.for("oncekey.Client"),
  /** The validated configuration, values redacted in logs (an `OnceKeyConfig`); `Symbol.for("oncekey.Config")`. */
  Config: Symbol.for("oncekey.Config"),
});
