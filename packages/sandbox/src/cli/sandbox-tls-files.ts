import { X509Certificate } from "node:crypto";
import { mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { checkTlsMaterial } from "../tls/check-tls-material.js";
import type { TlsMaterial } from "../tls/tls-material.js";
import { issueTlsMaterial } from "../tls/issue-tls-material.js";
import { CommandError } from "./command-error.js";

/** How long certificates made for `--ca-file` stay valid: long enough that a kept CA does not expire in use. */
const KEPT_VALIDITY_DAYS = 825;

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----\r?\n[\s\S]*?-----END \1-----\r?\n?/g;

/** The TLS material behind `--ca-file`, and where each part lives. */
export interface SandboxTlsFiles {
  readonly tls: TlsMaterial;
  /** The CA certificate, what clients trust (`ONCEKEY_CA_FILE`). */
  readonly caFile: string;
  /** The server's certificate and private key, mode 0600. */
  readonly serverKeyFile: string;
  /** `true` when both files were written now. */
  readonly created: boolean;
}

/**
 * Where the server's certificate and private key are kept beside a CA file: its name without `.pem` or `.crt`,
 * and `-server-key.pem` (`sandbox-ca.pem` → `sandbox-ca-server-key.pem`).
 *
 * @param caFile - the CA file's path
 * @example
 * ```ts
 * serverKeyPath("/home/me/.oncekey/ca.pem"); // "/home/me/.oncekey/ca-server-key.pem"
 * ```
 */
export function serverKeyPath(caFile: string): string {
  return `${caFile.replace(/\.(pem|crt)$/i, "")}-server-key.pem`;
}

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if (errno(error) === "ENOENT") return false;
    throw new CommandError(`cannot read ${file}: ${(error as Error).message}`, 2, { cause: error });
  }
}

async function create(caFile: string, serverKeyFile: string): Promise<TlsMaterial> {
  const tls = await issueTlsMaterial("oncekey sandbox", {
    notBefore: new Date(Date.now() - 60_000),
    days: KEPT_VALIDITY_DAYS,
  });
  try {
    await mkdir(path.dirname(caFile), { recursive: true });
    // The private key first and exclusively: another run racing for the same files fails here, not halfway.
    await writeFile(serverKeyFile, `${tls.cert}${tls.key}`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    throw new CommandError(`cannot write ${serverKeyFile}: ${(error as Error).message}`, 2, { cause: error });
  }
  try {
    await writeFile(caFile, tls.ca, { mode: 0o644, flag: "wx" });
  } catch (error) {
    await unlink(serverKeyFile).catch(() => undefined);
    throw new CommandError(`cannot write ${caFile}: ${(error as Error).message}`, 2, { cause: error });
  }
  return tls;
}

async function load(caFile: string, serverKeyFile: string): Promise<TlsMaterial> {
  let ca: string;
  let pair: string;
  let mode: number;
  try {
    [ca, pair, { mode }] = await Promise.all([
      readFile(caFile, "utf8"),
      readFile(serverKeyFile, "utf8"),
      stat(serverKeyFile),
    ]);
  } catch (error) {
    throw new CommandError(`cannot read the sandbox's TLS files: ${(error as Error).message}`, 2, {
      cause: error,
    });
  }
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new CommandError(
      `${serverKeyFile} holds the sandbox's private key and others can read or write it ` +
        `(mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${serverKeyFile}`,
      2,
    );
  }
  const blocks = [...pair.matchAll(PEM_BLOCK)];
  const cert = blocks.find((block) => block[1] === "CERTIFICATE")?.[0] ?? "";
  const key = blocks.find((block) => block[1]?.endsWith("PRIVATE KEY"))?.[0] ?? "";
  try {
    return checkTlsMaterial({ ca, cert, key }, "the sandbox's TLS files", {
      whole: "the TLS files",
      ca: `the CA certificate in ${caFile}`,
      cert: `the server certificate in ${serverKeyFile}`,
      key: `the private key in ${serverKeyFile}`,
    });
  } catch (error) {
    throw new CommandError(
      `${(error as Error).message} To start afresh, delete ${caFile} and ${serverKeyFile} (clients then need the ` +
        "new CA file).",
      2,
    );
  }
}

/**
 * The TLS material for `--ca-file`, kept across restarts so clients that trust the CA keep working: read from
 * the CA file and its server key file ({@link serverKeyPath}) when they exist, else made (valid 825 days) and
 * written to both, the CA certificate with mode 0644 and the server's certificate and private key with mode
 * 0600. The CA's own private key is never written: the CA signs one certificate, for loopback names, and nothing
 * else. A server key file that group or others may read is refused.
 *
 * @param caFile - the path as given
 * @throws CommandError (exit 2) for one file without the other, loose permissions, or material that does not
 *   fit together or has expired
 * @example
 * ```ts
 * const { tls, serverKeyFile } = await loadOrCreateTlsFiles(".oncekey/ca.pem");
 * ```
 */
export async function loadOrCreateTlsFiles(caFile: string): Promise<SandboxTlsFiles> {
  const ca = path.resolve(caFile);
  const serverKeyFile = serverKeyPath(ca);
  const [hasCa, hasServerKey] = await Promise.all([exists(ca), exists(serverKeyFile)]);
  if (hasCa !== hasServerKey) {
    const [present, missing] = hasCa ? [ca, serverKeyFile] : [serverKeyFile, ca];
    throw new CommandError(
      `${present} exists but ${missing} does not: the two are made together. Restore ${missing}, or delete ` +
        `${present} to make both afresh (clients then need the new CA file).`,
      2,
    );
  }
  if (!hasCa) return { tls: await create(ca, serverKeyFile), caFile: ca, serverKeyFile, created: true };
  return { tls: await load(ca, serverKeyFile), caFile: ca, serverKeyFile, created: false };
}

/** When the CA in `tls` stops being valid, as an ISO date. */
export const caExpiry = (tls: TlsMaterial): string =>
  new Date(new X509Certificate(tls.ca).validTo).toISOString().slice(0, 10);
