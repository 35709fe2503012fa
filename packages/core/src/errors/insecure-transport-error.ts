import { OnceKeyError } from "./once-key-error.js";

/**
 * A request would have sent the key without TLS (an `http:` base URL) or to another origin. Thrown before any
 * socket opens. Code `INSECURE_TRANSPORT`.
 *
 * @example
 * ```ts
 * expect(() => new OnceHubClient({ keys, baseUrl: "http://api.oncehub.com/v2" })).toThrow(InsecureTransportError);
 * ```
 */
export class InsecureTransportError extends OnceKeyError {
  static override readonly code: string = "INSECURE_TRANSPORT";
  static override readonly brand: string = "InsecureTransportError";
}
