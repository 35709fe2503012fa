import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh directory under the system's temporary directory, links resolved so paths compare equal. */
export async function makeTempDir(): Promise<string> {
  return realpath(await mkdtemp(join(tmpdir(), "oncekey-file-")));
}

/** Removes a directory made by {@link makeTempDir}. */
export async function removeTempDir(dir: string | undefined): Promise<void> {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}
