import { issueTlsMaterial } from "./issue-tls-material.js";
import type { TlsMaterial } from "./tls-material.js";

/**
 * Creates a throwaway CA and a loopback server certificate signed by it, valid for a week.
 *
 * EC P-256 keys keep this to a few milliseconds, so every server gets its own CA and no test trusts another's.
 * The CA's private key is not kept: the CA signs this one certificate and nothing else.
 *
 * @param commonName - names the CA (`<commonName> CA`), as a client's TLS errors show it
 * @example
 * ```ts
 * const { ca, cert, key } = await createTlsMaterial("oncekey sandbox");
 * https.createServer({ cert, key }, handler);
 * new Agent({ connect: { ca } });
 * ```
 */
export async function createTlsMaterial(commonName: string): Promise<TlsMaterial> {
  // A minute in the past, so a client whose clock is a little behind still accepts it.
  return issueTlsMaterial(commonName, { notBefore: new Date(Date.now() - 60_000), days: 7 });
}
