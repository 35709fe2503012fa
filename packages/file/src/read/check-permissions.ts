import { KeySourceError } from "@oncekey/core";
import type { KeyFileTarget } from "../path/key-path-template.js";

/**
 * What to do with a key file that group or others may read: `"refuse"` it (a `KeySourceError` before it is
 * opened), `"warn"` once per file with a `key:warning` event, or `"ignore"` it.
 *
 * @example
 * ```ts
 * const permissions: FilePermissions = process.env.NODE_ENV === "production" ? "refuse" : "warn";
 * const keys = fromFile({ path: "/etc/oncehub/api-key", permissions });
 * ```
 */
export type FilePermissions = "refuse" | "warn" | "ignore";

/** Read permission for the file's group and for others. */
const SHARED_READ = 0o044;

/**
 * Returns the refusal for a key file readable by group or others under `"refuse"`, reports it under `"warn"`,
 * and says nothing otherwise. Windows has no such bits, so nothing is checked there.
 */
export function checkPermissions(
  target: KeyFileTarget,
  mode: number,
  permissions: FilePermissions,
  onPermissive: (target: KeyFileTarget, mode: number) => void,
): KeySourceError | undefined {
  if (permissions === "ignore" || process.platform === "win32" || (mode & SHARED_READ) === 0)
    return undefined;
  if (permissions === "warn") {
    onPermissive(target, mode);
    return undefined;
  }
  return new KeySourceError(
    `The key file ${target.display} is readable by ${readers(mode)} (mode ${octal(mode)}) and permissions is ` +
      '"refuse", so it was not opened. Restrict it (chmod 600, or defaultMode: 0400 on a Kubernetes secret ' +
      'volume), or set permissions: "warn".',
    { source: target.source },
  );
}

/** The warning for a key file readable by group or others. */
export function permissiveMessage(target: KeyFileTarget, mode: number): string {
  return (
    `The key file ${target.display} is readable by ${readers(mode)} (mode ${octal(mode)}). Kubernetes (0644) and ` +
    "Docker (0444) mount secrets this way; where other users share the machine, restrict it (chmod 600, or " +
    'defaultMode: 0400 on a Kubernetes secret volume), or set permissions: "ignore" to silence this.'
  );
}

function readers(mode: number): string {
  const group = (mode & 0o040) !== 0;
  const others = (mode & 0o004) !== 0;
  return group && others ? "group and others" : group ? "its group" : "others";
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}
