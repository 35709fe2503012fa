import { chmod, utimes, writeFile } from "node:fs/promises";

/**
 * Writes a key file with exactly `mode` (whatever the umask), its content dated a minute back so that the provider
 * trusts it at once instead of waiting for it to settle.
 */
export async function writeKeyFile(path: string, content: string | Buffer, mode = 0o600): Promise<string> {
  await writeFile(path, content, { mode });
  await chmod(path, mode);
  const past = new Date(Date.now() - 60_000);
  await utimes(path, past, past);
  return path;
}
