/**
 * A private certificate authority and a server certificate it signed, all PEM: what {@link createTlsMaterial}
 * returns and what `startSandbox({ tls })` serves.
 *
 * @example
 * ```ts
 * const tls: TlsMaterial = await createTlsMaterial("my sandbox");
 * const sandbox = await startSandbox({ tls }); // sandbox.ca === tls.ca
 * ```
 */
export interface TlsMaterial {
  /** The CA certificate: what a client passes as `ca` to trust the server. */
  readonly ca: string;
  /** The server certificate, valid for `localhost`, `127.0.0.1` and `::1`. */
  readonly cert: string;
  /** The server certificate's private key. */
  readonly key: string;
}
