import { lstat, readdir } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { InvalidTenantError } from "@oncekey/core";
import { describeTenant } from "@oncekey/core/source";
import type { KeyFileTarget } from "./key-path-template.js";

/**
 * Keeps tenant ids that differ only in case (`acme`, `ACME`) from sharing a key file where the file system ignores
 * case (macOS and Windows by default, case-folding Linux directories).
 *
 * Whether the directory of the template folds case is learnt from the first tenant id with letters: when its other
 * spelling names nothing, or another file, the directory tells case apart and nothing more is checked. Otherwise the
 * directory is listed, and the id must be spelled as the entry is.
 */
export class TenantSpelling {
  /** Known once an id's other spelling named nothing or another file. */
  #caseSensitive = false;

  /**
   * Checks the entry of `target` that holds the tenant id, before the file is opened.
   *
   * @throws {@link InvalidTenantError} when the id reaches an entry spelled otherwise.
   */
  async check(target: KeyFileTarget): Promise<void> {
    const { entry, entryOtherCase, tenant } = target;
    if (this.#caseSensitive || tenant === undefined || entry === undefined || entryOtherCase === undefined)
      return;
    if (entry === entryOtherCase) return;
    const [own, alike] = await Promise.all([
      lstat(entry, { bigint: true }).catch(() => undefined),
      lstat(entryOtherCase, { bigint: true }).catch(() => undefined),
    ]);
    // Nothing there: the read says "not found". Two names for two entries: the directory tells case apart.
    if (own === undefined) return;
    if (alike === undefined || alike.ino !== own.ino || alike.dev !== own.dev) {
      this.#caseSensitive = true;
      return;
    }
    const name = basename(entry);
    const names = await readdir(dirname(entry)).catch(() => undefined);
    if (names === undefined || names.includes(name)) return;
    const stored = names.find((n) => n.toLowerCase() === name.toLowerCase()) ?? "another spelling";
    throw new InvalidTenantError(
      `Tenant id ${describeTenant(tenant)} would read ${target.quoted ? `${dirname(entry)}/${stored}` : "a key file spelled otherwise"}, ` +
        "which this file system (it ignores case) " +
        `also gives to the tenant spelled as that entry is: tenant ids that differ only in case cannot have key ` +
        "files of their own here. Use tenant ids spelled exactly as their key files are.",
      { tenant, source: target.source },
    );
  }
}
