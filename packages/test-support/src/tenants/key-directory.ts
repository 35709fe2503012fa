import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A directory of key files made by {@link keyDirectory}. */
export interface KeyDirectory {
  readonly path: string;
  /** Removes the directory and everything in it. */
  remove(): Promise<void>;
}

/**
 * Makes a fresh directory for key files (one file per tenant, as a secret store mounts them), for a whole test
 * file: the caller removes it in `afterAll`. For a directory per test, `useTempDir` does both.
 *
 * @param prefix - The directory name's prefix. @defaultValue "oncekey-keys-"
 * @example
 * ```ts
 * dir = await keyDirectory();
 * const keys = fromFile({ path: join(dir.path, "{tenant}") });
 * ```
 */
export async function keyDirectory(prefix = "oncekey-keys-"): Promise<KeyDirectory> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Writes a key file whole (a new file renamed over the old, mode 0600), as a secret store updates one, so that a
 * reader never sees half a key.
 *
 * @param path - The key file.
 * @param key - Its new content (a line break is added).
 * @example
 * ```ts
 * await writeKeyFile(join(dir.path, "tenant-a"), fresh);
 * ```
 */
export async function writeKeyFile(path: string, key: string): Promise<void> {
  const next = `${path}.next`;
  await writeFile(next, `${key}\n`, { mode: 0o600 });
  await rename(next, path);
}
