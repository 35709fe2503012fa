import { constants, type BigIntStats } from "node:fs";
import { lstat, open, readlink, realpath, stat, type FileHandle } from "node:fs/promises";
import { KeyFormatError, KeySourceError, type OnceKeyError } from "@oncekey/core";
import { describeTenant, readBounded, safeFsCause, type PermissionPolicy } from "@oncekey/core/source";
import { isWithin } from "../path/is-within.js";
import type { KeyFileTarget } from "../path/key-path-template.js";

/** What one attempt to read a key file gave. */
export type KeyFileRead =
  | {
      readonly kind: "read";
      readonly bytes: Buffer;
      /** The file read, every symbolic link resolved. */
      readonly real: string;
      /** The device it lives on. */
      readonly dev: bigint;
      /** When the content last changed, by the file's clock. */
      readonly mtimeMs: number;
      /** Identity, size and times of the file read: equal signatures mean an unchanged file. */
      readonly signature: string;
    }
  /** No file there; `vanished` when it was there a moment before (a rename or a swap in progress). */
  | { readonly kind: "absent"; readonly vanished: boolean; readonly code: string }
  | { readonly kind: "failed"; readonly error: OnceKeyError };

/** Options of {@link readKeyFile}. */
export interface ReadKeyFileOptions {
  readonly maxBytes: number;
  /** What to do with a file readable by group or others, checked before it is opened. */
  readonly permissions: PermissionPolicy;
}

// O_NOFOLLOW: the path opened has no links left, so a link planted in between is refused, not followed.
// O_NONBLOCK: a FIFO planted in between cannot block the read.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a key file once, checking everything that can be checked before the file is opened: where its links
 * lead (inside the template's directory), that it is a regular file, its size and its permissions.
 *
 * Never throws: the caller decides whether an absent file is final or a rotation in progress.
 */
export async function readKeyFile(target: KeyFileTarget, options: ReadKeyFileOptions): Promise<KeyFileRead> {
  let real: string;
  try {
    real = await realpath(target.path);
  } catch (error) {
    // A link whose target is missing: during a Kubernetes swap, the old version's directory was just removed.
    const dangling =
      (error as NodeJS.ErrnoException).code === "ENOENT" &&
      (await lstat(target.path).then(
        (stats) => stats.isSymbolicLink(),
        () => false,
      ));
    return absentOrFailed(target, error, dangling);
  }
  let realWithin: string | undefined;
  if (target.within !== undefined) {
    realWithin = await realDirectory(target.within);
    if (!isWithin(real, realWithin)) {
      return { kind: "failed", error: outsideError(target, real, realWithin) };
    }
  }
  let before: BigIntStats;
  try {
    before = await stat(real, { bigint: true });
  } catch (error) {
    return absentOrFailed(target, error, true);
  }
  const refused = checkFile(target, before, options);
  if (refused !== undefined) return { kind: "failed", error: refused };

  let handle: FileHandle;
  try {
    handle = await open(real, OPEN_FLAGS);
  } catch (error) {
    // ELOOP here means the last component became a link since realpath: a swap in progress.
    return absentOrFailed(target, error, true);
  }
  try {
    const opened = await handle.stat({ bigint: true });
    if (opened.ino !== before.ino || opened.dev !== before.dev) {
      return { kind: "absent", vanished: true, code: "REPLACED" };
    }
    if (realWithin !== undefined) {
      // A directory on the way may have been swapped for a link out between the check and the open, and back.
      const opened = await openedPath(handle);
      if (opened !== undefined && !isWithin(opened, realWithin)) {
        return { kind: "failed", error: outsideError(target, opened, realWithin) };
      }
      if (opened === undefined && (await realpath(real)) !== real) {
        return { kind: "absent", vanished: true, code: "REPLACED" };
      }
    }
    const bytes = await readBounded(handle, options.maxBytes + 1);
    if (bytes.length > options.maxBytes)
      return { kind: "failed", error: tooLarge(target, undefined, options) };
    return {
      kind: "read",
      bytes,
      real,
      dev: opened.dev,
      mtimeMs: Number(opened.mtimeNs / 1_000_000n),
      signature: fileSignature(opened),
    };
  } catch (error) {
    return absentOrFailed(target, error, true);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Identity, size and change times of a file: a cheap `stat` tells whether it may have changed since it was read.
 */
export function fileSignature(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

async function realDirectory(within: string): Promise<string> {
  try {
    return await realpath(within);
  } catch {
    return within;
  }
}

/**
 * Where the file behind `handle` really is, as the kernel names it (Linux's `/proc/self/fd`), or `undefined` where
 * that cannot be asked. Unlike a second `realpath` of the name, it cannot be fooled by a link swapped back after the
 * open. A file removed since it was opened is named with a ` (deleted)` suffix, inside its old directory.
 */
async function openedPath(handle: FileHandle): Promise<string | undefined> {
  if (process.platform !== "linux") return undefined;
  try {
    return (await readlink(`/proc/self/fd/${handle.fd}`)).replace(/ \(deleted\)$/, "");
  } catch {
    return undefined;
  }
}

function checkFile(
  target: KeyFileTarget,
  stats: BigIntStats,
  options: ReadKeyFileOptions,
): OnceKeyError | undefined {
  if (!stats.isFile()) {
    return new KeySourceError(
      `${capitalized(target.phrase)} is ${kindOf(stats)}, not a key file. Point the path at the file that holds the key ` +
        "(for a Docker or Kubernetes secret, the file inside the mounted directory).",
      { source: target.source },
    );
  }
  if (stats.size > BigInt(options.maxBytes)) return tooLarge(target, Number(stats.size), options);
  return options.permissions.check(target, Number(stats.mode));
}

function absentOrFailed(target: KeyFileTarget, error: unknown, vanished: boolean): KeyFileRead {
  const code = (error as NodeJS.ErrnoException).code ?? "UNKNOWN";
  if (code === "ENOENT" || code === "ENOTDIR") return { kind: "absent", vanished, code };
  if (vanished && code === "ELOOP") return { kind: "absent", vanished, code };
  return { kind: "failed", error: readError(target, code, error) };
}

function readError(target: KeyFileTarget, code: string, cause: unknown): KeySourceError {
  const why =
    code === "EACCES" || code === "EPERM"
      ? "permission denied. Give the service's user read access to it (in Kubernetes, e.g. securityContext.fsGroup)"
      : code === "ELOOP"
        ? "its symbolic links loop. Fix the links"
        : code === "EISDIR"
          ? "it is a directory. Point the path at the key file inside it"
          : `${code}. Check the file and the path`;
  return new KeySourceError(`Cannot read ${target.phrase}: ${why}.`, {
    source: target.source,
    // Node's message repeats the path, which the message above may not.
    cause: safeFsCause(cause, target.hidden, target.display),
  });
}

function outsideError(target: KeyFileTarget, real: string, within: string): KeySourceError {
  // Real paths under a path template that may not be repeated could repeat part of it.
  const shown = target.quoted
    ? { real, within }
    : { real: "a file", within: target.withinDisplay ?? "the directory of the path template" };
  return new KeySourceError(
    `${capitalized(target.phrase)} for tenant ${describeTenant(target.tenant)} resolves to ${shown.real}, outside ` +
      `${shown.within}: a tenant's key file must stay inside the directory of the path template, so it was not ` +
      `opened. Replace the symbolic link with the file, or with a link that stays inside ${shown.within}.`,
    { source: target.source },
  );
}

function tooLarge(
  target: KeyFileTarget,
  size: number | undefined,
  options: ReadKeyFileOptions,
): KeyFormatError {
  const what = size === undefined ? "more than" : `${size} bytes, more than`;
  return new KeyFormatError(
    `${capitalized(target.phrase)} is ${what} the ${options.maxBytes} bytes allowed (maxBytes), so it was not ` +
      "read: a key file holds only the key. Point the path at the key file, or raise maxBytes.",
    { source: target.source },
  );
}

function kindOf(stats: BigIntStats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
