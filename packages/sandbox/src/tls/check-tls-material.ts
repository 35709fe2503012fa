import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { checkOptionNames } from "../options/check-option-names.js";
import type { TlsMaterial } from "./tls-material.js";

function parse<T>(read: () => T, otherwise: () => never): T {
  try {
    return read();
  } catch {
    return otherwise();
  }
}

const dateOf = (text: string): string => new Date(text).toISOString();

/** How messages name the material and its three parts. */
export interface TlsMaterialNames {
  readonly whole: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

const OPTION_NAMES: TlsMaterialNames = { whole: "tls", ca: "tls.ca", cert: "tls.cert", key: "tls.key" };

/**
 * Checks TLS material given to a loopback server before it listens: three PEM texts, a CA certificate, a server
 * certificate it signed that is valid now and for `127.0.0.1`, and that certificate's private key. Messages
 * never quote the private key.
 *
 * @param value - what was given
 * @param where - who is asking, e.g. `"startSandbox"`
 * @param names - how messages name the parts @defaultValue `tls`, `tls.ca`, `tls.cert`, `tls.key`
 * @param now - the time the certificates must be valid at, in ms since the epoch @defaultValue now
 * @returns the material, unchanged
 * @throws TypeError saying which part is wrong and why
 * @example
 * ```ts
 * const tls = checkTlsMaterial(options.tls, "startSandbox"); // "startSandbox: tls.cert was not signed by tls.ca."
 * ```
 */
export function checkTlsMaterial(
  value: unknown,
  where: string,
  names: TlsMaterialNames = OPTION_NAMES,
  now = Date.now(),
): TlsMaterial {
  const fail = (problem: string): never => {
    throw new TypeError(`${where}: ${problem}`);
  };
  if (typeof value !== "object" || value === null)
    fail(`${names.whole} must be { ca, cert, key } in PEM, as createTlsMaterial returns it.`);
  checkOptionNames(`${where}: ${names.whole}`, value as object, ["ca", "cert", "key"]);
  const material = value as Partial<Record<keyof TlsMaterial, unknown>>;
  for (const part of ["ca", "cert", "key"] as const) {
    if (typeof material[part] !== "string")
      fail(`${names[part]} must be PEM text, got ${typeof material[part]}.`);
  }
  const { ca, cert, key } = material as TlsMaterial;
  const authority = parse(
    () => new X509Certificate(ca),
    () => fail(`${names.ca} is not a PEM certificate.`),
  );
  const server = parse(
    () => new X509Certificate(cert),
    () => fail(`${names.cert} is not a PEM certificate.`),
  );
  const privateKey: KeyObject = parse(
    () => createPrivateKey(key),
    () => fail(`${names.key} is not a PEM private key (an encrypted one is not supported).`),
  );
  if (!authority.ca) fail(`${names.ca} is not a CA certificate: it may not sign others.`);
  if (!server.checkPrivateKey(privateKey)) fail(`${names.key} is not the private key of ${names.cert}.`);
  if (!server.checkIssued(authority) || !server.verify(authority.publicKey))
    fail(`${names.cert} was not signed by ${names.ca}.`);
  if (server.checkIP("127.0.0.1") === undefined)
    fail(`${names.cert} is not valid for 127.0.0.1, where the server listens.`);
  for (const [part, certificate] of [
    ["ca", authority],
    ["cert", server],
  ] as const) {
    if (Date.parse(certificate.validTo) <= now)
      fail(`${names[part]} expired on ${dateOf(certificate.validTo)}.`);
    if (Date.parse(certificate.validFrom) > now)
      fail(`${names[part]} is not valid before ${dateOf(certificate.validFrom)}.`);
  }
  return { ca, cert, key };
}
