import { statfs } from "node:fs/promises";

/**
 * How key files (and `.env` files) are watched: `"fs"` with `fs.watch` on their directories, `"poll"` with a look
 * at each file every `pollIntervalMs`, or `"auto"`: `fs.watch`, except on file systems where change notifications
 * are known not to arrive (NFS, SMB, FUSE such as Docker Desktop's bind mounts, 9p such as WSL's drives), and
 * polling wherever `fs.watch` fails.
 *
 * @example
 * ```ts
 * const watchMode: FileWatchMode = runningOnDockerDesktop ? "poll" : "auto";
 * const keys = fromFile({ path: "/run/secrets/oncehub_api_key", watchMode, pollIntervalMs: 2_000 });
 * ```
 */
export type FileWatchMode = "auto" | "fs" | "poll";

/**
 * The values of {@link FileWatchMode}, for option checks.
 *
 * @example
 * ```ts
 * const watchMode = choiceOption(options.watchMode, "watchMode", FILE_WATCH_MODES, "auto", "fromFile");
 * ```
 */
export const FILE_WATCH_MODES: readonly FileWatchMode[] = ["auto", "fs", "poll"];

/**
 * Linux `statfs` magic numbers of file systems whose changes (made elsewhere: another host, the VM's host) send
 * no inotify events.
 */
const UNWATCHABLE_FILE_SYSTEMS: ReadonlySet<number> = new Set([
  0x6969, // NFS
  0x517b, // SMB
  0xff534d42, // CIFS
  0xfe534d42, // SMB2
  0x65735546, // FUSE: Docker Desktop (grpcfuse, virtiofs), sshfs, cloud storage mounts
  0x01021997, // 9p: WSL 2 Windows drives, VM shared folders
  0x00c36400, // Ceph
  0x5346414f, // AFS
  0x0bd00bd0, // Lustre
]);

/**
 * Decides how to watch `directory`: `"poll"` when `mode` says so or, in `"auto"`, when the directory lies on a
 * file system that does not report changes; `"fs"` otherwise. Never rejects.
 */
export async function chooseWatchMode(directory: string, mode: FileWatchMode): Promise<"fs" | "poll"> {
  if (mode !== "auto") return mode;
  if (process.platform !== "linux") return "fs";
  try {
    const { type } = await statfs(directory);
    return reportsChanges(Number(type)) ? "fs" : "poll";
  } catch {
    return "fs";
  }
}

/**
 * Tells whether a Linux file system of `statfs` type `type` reports changes through inotify.
 *
 * @example
 * ```ts
 * reportsChanges(0x6969); // false: NFS
 * ```
 */
export function reportsChanges(type: number): boolean {
  return !UNWATCHABLE_FILE_SYSTEMS.has(type >>> 0);
}
