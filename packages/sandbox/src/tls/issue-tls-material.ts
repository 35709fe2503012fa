import { generate } from "selfsigned";
import type { TlsMaterial } from "./tls-material.js";

/** When a certificate starts and stops being valid. */
export interface Validity {
  readonly notBefore: Date;
  readonly days: number;
}

/**
 * A CA and a loopback server certificate it signed (for `localhost`, `127.0.0.1` and `::1`), both valid over
 * `validity`. The CA's private key is dropped once it has signed: nothing else can ever be signed with it, so
 * material kept on disk holds only a key that can serve loopback names.
 *
 * @param commonName - names the CA (`<commonName> CA`)
 * @param validity - when both certificates start and stop being valid
 * @example
 * ```ts
 * const tls = await issueTlsMaterial("oncekey sandbox", { notBefore: new Date(), days: 825 });
 * ```
 */
export async function issueTlsMaterial(commonName: string, validity: Validity): Promise<TlsMaterial> {
  const notBeforeDate = validity.notBefore;
  const notAfterDate = new Date(notBeforeDate.getTime() + validity.days * 24 * 3600_000);
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
