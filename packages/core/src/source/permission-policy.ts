import { LRUCache } from "lru-cache";
import { KeySourceError } from "../errors/key-source-error.js";
import type { EventHub } from "../events/event-hub.js";

/**
 * What a key source does with a file holding a key that its group or others may read: `"refuse"` it (a
 * `KeySourceError`), `"warn"` once per file with a `key:warning` event (code `FILE_PERMISSIONS`), or `"ignore"`
 * it. Warning is the default of every file source, because Kubernetes (0644) and Docker (0444) mount secrets
 * that way.
 *
 * @example
 * ```ts
 * const permissions: FilePermissions = process.env.NODE_ENV === "production" ? "refuse" : "warn";
 * const keys = fromFile({ path: "/etc/oncehub/api-key", permissions });
 * ```
 */
export type FilePermissions = "refuse" | "warn" | "ignore";

/**
 * The values of {@link FilePermissions}, for option checks.
 *
 * @example
 * ```ts
 * const permissions = choiceOption(options.permissions, "permissions", FILE_PERMISSIONS, "warn", "fromFile");
 * ```
 */
export const FILE_PERMISSIONS: readonly FilePermissions[] = ["warn", "refuse", "ignore"];

/**
 * A file a key was (or is about to be) read from, as a {@link PermissionPolicy} speaks of it.
 * @inline
 */
export interface CheckedFile {
  /** The absolute path: what the policy remembers having warned about. */
  readonly path: string;
  /** How a sentence names it: `the key file /run/secrets/oncehub` (see `ConfiguredValue.phrase`). */
  readonly phrase: string;
  /** The `source` of errors and events. */
  readonly source: string;
  /** The tenant whose key it holds, if any. */
  readonly tenant?: string | undefined;
}

/**
 * Options of {@link PermissionPolicy}.
 *
 * @example
 * ```ts
 * const events = new EventHub(options.onEvent);
 * const policy = new PermissionPolicy({ permissions: "refuse", events, setting: "ONCEKEY_FILE_PERMISSIONS" });
 * ```
 */
export interface PermissionPolicyOptions {
  /** The policy: `"refuse"`, `"warn"` or `"ignore"` a key file that its group or others may read. */
  readonly permissions: FilePermissions;
  /** Where the warnings go. */
  readonly events: EventHub;
  /** The setting that chose the policy, for messages: `ONCEKEY_FILE_PERMISSIONS`, or `the permissions option`. */
  readonly setting: string;
  /** The most files remembered as warned about; the least recently warned is forgotten first. @defaultValue `10_000` */
  readonly maxFiles?: number;
}

/** Read permission for the file's group and for others. */
const SHARED_READ = 0o044;

/**
 * Applies a {@link FilePermissions} policy to the files a key source reads, the same way in every source: the
 * refusal names the readers and the mode, and says how to restrict the file; the warning is sent once per file.
 * Windows has no such mode bits, so nothing is checked there.
 *
 * @example
 * ```ts
 * const policy = new PermissionPolicy({ permissions: "warn", events, setting: "the permissions option" });
 * const refusal = policy.check({ path, phrase: `the key file ${path}`, source: `file:${path}` }, stats.mode);
 * if (refusal !== undefined) throw refusal;
 * ```
 */
export class PermissionPolicy {
  readonly #options: PermissionPolicyOptions;
  readonly #warned: LRUCache<string, true>;

  constructor(options: PermissionPolicyOptions) {
    this.#options = options;
    this.#warned = new LRUCache({ max: options.maxFiles ?? 10_000 });
  }

  /**
   * Checks the mode of `file`.
   *
   * @returns The refusal to throw under `"refuse"`; `undefined` otherwise (a warning is sent under `"warn"`).
   */
  check(file: CheckedFile, mode: number): KeySourceError | undefined {
    const { permissions, setting } = this.#options;
    if (permissions === "ignore" || process.platform === "win32" || (mode & SHARED_READ) === 0)
      return undefined;
    const exposed = `${capitalized(file.phrase)} is readable by ${readers(mode)} (mode ${octal(mode)})`;
    if (permissions === "refuse") {
      return new KeySourceError(
        `${exposed} and ${setting} is "refuse", so its key is not used. Restrict it (chmod 600, or defaultMode: ` +
          `0400 on a Kubernetes secret volume), or set ${setting} to "warn".`,
        { source: file.source },
      );
    }
    if (!this.#warned.has(file.path)) {
      this.#warned.set(file.path, true);
      this.#options.events.emit({
        type: "key:warning",
        time: Date.now(),
        ...(file.tenant === undefined ? {} : { tenant: file.tenant }),
        source: file.source,
        code: "FILE_PERMISSIONS",
        message:
          `${exposed}. Kubernetes (0644) and Docker (0444) mount secrets this way; where other users share the ` +
          "machine, restrict it (chmod 600, or defaultMode: 0400 on a Kubernetes secret volume), or set " +
          `${setting} to "ignore" to silence this.`,
      });
    }
    return undefined;
  }
}

function readers(mode: number): string {
  const group = (mode & 0o040) !== 0;
  const others = (mode & 0o004) !== 0;
  return group && others ? "group and others" : group ? "its group" : "others";
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
