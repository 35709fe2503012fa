import { ApiKey } from "@oncekey/core";
import { CommandError } from "../errors/command-error.js";

/**
 * Whether `raw`, the value a place holds now, is the key the rotation started from: compared as `ApiKey`s
 * (constant time), so a value that is no key at all is simply not the same key.
 *
 * @param raw - The value read from the file, the `.env` variable or the secret; `undefined` when there is none.
 * @param current - The key the configuration resolved to when the rotation began.
 * @example
 * ```ts
 * if (!holdsCurrentKey(await readFile(path, "utf8"), current)) throw changedMeanwhile(shown);
 * ```
 */
export function holdsCurrentKey(raw: string | undefined, current: ApiKey): boolean {
  if (raw === undefined) return false;
  try {
    return ApiKey.from(raw).equals(current);
  } catch {
    return false;
  }
}

/**
 * The `WRITE_FAILED` error of a place that no longer holds the current key when the new key is about to be
 * written: someone else rotated (or edited) it meanwhile, and writing now would replace their key unseen.
 *
 * @param shown - The place as messages may name it.
 * @example
 * ```ts
 * throw changedMeanwhile("secrets/oncehub.key");
 * ```
 */
export function changedMeanwhile(shown: string): CommandError {
  return new CommandError(
    "WRITE_FAILED",
    `${shown} no longer holds the key the configuration resolved to (it changed meanwhile?). Run oncekey ` +
      "check, then rotate again.",
  );
}
