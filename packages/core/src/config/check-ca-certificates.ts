import { X509Certificate } from "node:crypto";
import { ConfigError } from "../errors/config-error.js";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Returns `ca` as PEM text when it holds at least one certificate and each one parses; throws a
 * {@link ConfigError} otherwise. Node's TLS silently ignores a CA it cannot read, so without this check a wrong
 * `ca` would only show on the first request, as a refused certificate.
 *
 * @param ca - The CA certificates, PEM, as a string or Buffer.
 * @param where - Where it came from, for the message, e.g. "`ca`" or `ONCEKEY_CA_FILE=/etc/ca.pem`.
 * @param variable - The option or variable the error names.
 */
export function checkCaCertificates(ca: unknown, where: string, variable: string): string {
  if (typeof ca !== "string" && !Buffer.isBuffer(ca)) {
    throw new ConfigError(
      `${where} must be PEM text (a string or Buffer) of CA certificates, got ${ca === null ? "null" : typeof ca}.`,
      { variable },
    );
  }
  const pem = typeof ca === "string" ? ca : ca.toString("utf8");
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new ConfigError(
      `${where} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"). Use a PEM file of CA certificates.`,
      { variable },
    );
  }
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (cause) {
      throw new ConfigError(
        `${where} holds a certificate that cannot be read (certificate ${i + 1} of ${blocks.length}). ` +
          "Use the CA's PEM file as issued.",
        { variable, cause },
      );
    }
  });
  return pem;
}
