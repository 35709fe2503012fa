import { randomBytes } from "node:crypto";
import { open, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CommandError } from "../errors/command-error.js";
import { ownerChange } from "./owner-change.js";

/**
 * Replaces a file's content atomically: a new file beside it with the same mode and owner, flushed to disk, then
 * renamed over it, so a reader (the key file watch of a running app) sees the old content or the new, never a
 * half-written file. A symbolic link is followed: the file it points to is replaced, the link kept.
 *
 * Nothing is changed when any step fails (the new file is removed), including when the owner cannot be kept (the
 * file belongs to another user and the command does not run as root).
 *
 * @param path - The file.
 * @param content - The new content.
 * @param shown - The file as messages may name it.
 * @throws {@link CommandError} `WRITE_FAILED` saying why (read-only file system, permissions).
 * @example
 * ```ts
 * await replaceFile("/run/secrets/oncehub", Buffer.from(`${newKey}\n`), "/run/secrets/oncehub");
 * ```
 */
export async function replaceFile(path: string, content: Buffer, shown: string): Promise<void> {
  let temp: string | undefined;
  try {
    const target = await realpath(path);
    const stats = await stat(target);
    temp = join(dirname(target), `.${basename(target)}.oncekey-${randomBytes(6).toString("hex")}`);
    // Owner-only until the content and the owner are right; then the file's own mode.
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(content);
      // The new file's owner is what the system gave it (in a setgid directory, the directory's group).
      const change = ownerChange(stats, await handle.stat());
      if (change !== undefined) await handle.chown(change.uid, change.gid);
      await handle.chmod(stats.mode & 0o7777);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    temp = undefined;
    await syncDirectory(dirname(target));
  } catch (error) {
    if (temp !== undefined) await unlink(temp).catch(() => undefined);
    throw writeFailure(error, shown);
  }
}

/** Makes the rename durable; some file systems cannot sync a directory, which is no reason to fail. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

function writeFailure(error: unknown, shown: string): CommandError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "EROFS"
      ? "it is on a read-only file system: a Kubernetes or Docker secret is written through the secret itself " +
        "(kubectl create secret generic … --dry-run=client -o yaml | kubectl apply -f -), and the mounted " +
        "file follows"
      : code === "EACCES" || code === "EPERM"
        ? "the command may not write it, its directory, or give the new file the same owner: run it as the " +
          "file's owner (or root)"
        : code === "ENOENT"
          ? "it no longer exists"
          : `the system refused (${code ?? "unknown error"})`;
  return new CommandError("WRITE_FAILED", `${shown} was not changed: ${why}.`);
}
