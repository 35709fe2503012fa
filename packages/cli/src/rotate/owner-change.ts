/** A file's owner: its user and group ids, as `stat` gives them. */
export interface FileOwner {
  readonly uid: number;
  readonly gid: number;
}

/**
 * The owner to give a new file so it has the owner of the file it replaces, or `undefined` when it has it
 * already. `created` is the new file's own owner as the system gave it: the process's user, and the process's
 * group or, in a setgid directory, the directory's. Comparing with the process's ids instead would miss the
 * setgid group (a file rotated with the directory's group instead of its own) and ask for a change the system
 * may refuse (a group the process is not a member of, which the new file has already).
 *
 * @param original - The owner of the file being replaced.
 * @param created - The owner of the new file, from `fstat` of its handle.
 * @returns The owner to set with `chown`, or `undefined` to leave it.
 * @example
 * ```ts
 * const change = ownerChange(await stat(target), await handle.stat());
 * if (change !== undefined) await handle.chown(change.uid, change.gid);
 * ```
 */
export function ownerChange(original: FileOwner, created: FileOwner): FileOwner | undefined {
  if (original.uid === created.uid && original.gid === created.gid) return undefined;
  return { uid: original.uid, gid: original.gid };
}
