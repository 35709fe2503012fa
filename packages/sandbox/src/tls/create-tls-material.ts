import { generate } from "selfsigned";

/** A private certificate authority and a server certificate it signed, all PEM. */
export interface TlsMaterial {
  /** The CA certificate: what a client passes as `ca` to trust the server. */
  readonly ca: string;
  /** The server certificate, valid for `localhost`, `127.0.0.1` and `::1`. */
  readonly cert: string;
  /** The server certificate's private key. */
  readonly key: string;
}

/**
 * Creates a throwaway CA and a loopback server certificate signed by it.
 *
 * EC P-256 keys keep this to a few milliseconds, so every server gets its own CA and no test trusts another's.
 *
 * @example
 * ```ts
 * const { ca, cert, key } = await createTlsMaterial("oncekey sandbox");
 * https.createServer({ cert, key }, handler);
 * new Agent({ connect: { ca } });
 * ```
 */
export async function createTlsMaterial(commonName: string): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 7 * 24 * 3600_000);
  const authority = await generate([{ name: "commonName", value: `${commonName} CA` }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    ca: { key: authority.private, cert: authority.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { ca: authority.cert, cert: server.cert, key: server.private };
}
