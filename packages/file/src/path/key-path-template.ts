import { dirname, join, parse, relative, resolve, sep } from "node:path";
import { InvalidTenantError, KeyNotFoundError } from "@oncekey/core";
import { describeConfigValue, quotableConfigValue, validateTenant } from "@oncekey/core/source";
import { isWithin } from "./is-within.js";

/** The placeholder that a path template replaces with the tenant id. */
export const TENANT_PLACEHOLDER = "{tenant}";

/** One key file, as a tenant's request resolves to it. */
export interface KeyFileTarget {
  /** The absolute path to read. */
  readonly path: string;
  /**
   * The path as messages show it: `path`, or the setting that gave it (`<ONCEKEY_FILE_PATH>`) when the path as
   * configured could be a key pasted there (see `quotableConfigValue`).
   */
  readonly display: string;
  /** Whether `display` is the path itself. */
  readonly quoted: boolean;
  /** `file:<display>`, for keys, errors and events. */
  readonly source: string;
  /** The tenant whose key this is; absent for a path without `{tenant}`. */
  readonly tenant?: string;
  /** For a template: the directory that the file, symbolic links resolved, must stay inside. */
  readonly within?: string;
  /** `within` as messages show it, like `display`. */
  readonly withinDisplay?: string;
  /** For a template: the entry of `within` whose name holds the tenant id (the file, or the tenant's directory). */
  readonly entry?: string;
  /** `entry` with the tenant id's letters in the other case; equal to `entry` when the id has no letters. */
  readonly entryOtherCase?: string;
}

/**
 * A key file path, possibly holding `{tenant}`, resolved per request without any I/O.
 *
 * The directory of a template is the one that holds the first `{tenant}`: `/keys/{tenant}/key` and
 * `/keys/oncehub-{tenant}.key` both stay inside `/keys`. Tenant ids are checked with `validateTenant` (letters,
 * digits, `_` and `-`), which already rules out `..`, `/`, `%`, NUL and absolute paths; the checks below (no
 * separator or NUL in the id, the path unchanged by normalising, inside the directory) are a second lock that does
 * not rely on that rule.
 */
export class KeyPathTemplate {
  readonly #path: string;
  readonly #within: string | undefined;
  /** The name of the entry of `#within` that holds `{tenant}`, e.g. `oncehub-{tenant}.key`. */
  readonly #entry: string | undefined;
  readonly #fixed: KeyFileTarget | undefined;
  /** Whether messages may repeat the path; when not, `#shown` is the setting that gave it. */
  readonly #quoted: boolean;
  readonly #shown: string;
  readonly #withinShown: string | undefined;

  /**
   * @param path - The path as configured, relative paths against the working directory.
   * @param setting - What gave the path (`ONCEKEY_FILE_PATH`, or the option), named in place of a path that
   *   could be a key pasted there.
   * @throws TypeError when the path is empty, holds NUL, or places `{tenant}` directly under the root.
   */
  constructor(path: string, setting = "the path option") {
    if (typeof path !== "string" || path.trim() === "") {
      throw new TypeError('fromFile: pass the key file\'s path, e.g. { path: "/run/secrets/oncehub" }.');
    }
    if (path.includes("\0")) throw new TypeError("fromFile: the key file path holds a NUL character.");
    const placeholders = count(path);
    this.#path = resolve(path);
    this.#quoted = quotableConfigValue(path, "path") !== undefined;
    this.#shown = this.#quoted ? this.#path : `<${setting}>`;
    const given = this.#quoted ? path : `set in ${setting} (${describeConfigValue(path, "path")})`;
    if (placeholders === 0) {
      this.#within = undefined;
      this.#withinShown = undefined;
      this.#entry = undefined;
      this.#fixed = {
        path: this.#path,
        display: this.#shown,
        quoted: this.#quoted,
        source: `file:${this.#shown}`,
      };
      return;
    }
    if (count(this.#path) !== placeholders) {
      throw new TypeError(`fromFile: the path ${given} must not step out of {tenant} with "..".`);
    }
    const prefix = this.#path.slice(0, this.#path.indexOf(TENANT_PLACEHOLDER));
    this.#within = dirname(`${prefix}x`);
    this.#withinShown = this.#quoted ? this.#within : `the directory of ${this.#shown}`;
    if (parse(this.#within).root === this.#within) {
      throw new TypeError(
        `fromFile: the path ${given} puts {tenant} directly under the root; keep tenants' key files in a ` +
          'directory of their own, e.g. "/run/secrets/oncehub/{tenant}".',
      );
    }
    this.#entry = relative(this.#within, this.#path).split(sep)[0];
    this.#fixed = undefined;
  }

  /**
   * Returns the file for `tenant`, before any I/O.
   *
   * @throws {@link InvalidTenantError} for an invalid tenant id or a path that would leave the directory.
   * @throws {@link KeyNotFoundError} when the path holds `{tenant}` and no tenant was asked for, or holds none and
   *   one was: a key without `{tenant}` belongs to no tenant.
   */
  resolve(tenant: string | undefined): KeyFileTarget {
    const source = `file:${this.#shown}`;
    if (this.#fixed !== undefined) {
      if (tenant === undefined) return this.#fixed;
      validateTenant(tenant);
      throw new KeyNotFoundError(
        `The key file ${this.#shown} holds a key that belongs to no tenant, so none is served for tenant ` +
          `"${tenant}". Put {tenant} in the path for one file per tenant` +
          `${this.#quoted ? `, e.g. ${dirname(this.#path)}/{tenant}` : ""}.`,
        { source },
      );
    }
    const within = this.#within as string;
    const withinShown = this.#withinShown as string;
    if (tenant === undefined) {
      throw new KeyNotFoundError(
        `The key file path ${this.#shown} holds {tenant}, but no tenant was given. Ask for a tenant's key ` +
          "(client.forTenant(id)), or add a source without {tenant} for requests without one.",
        { source },
      );
    }
    const id = validateTenant(tenant);
    const path = this.#path.split(TENANT_PLACEHOLDER).join(id);
    // A second lock that does not lean on the tenant id rule: the id stays one name, inside the directory.
    if (/[/\\\0]/.test(id) || resolve(path) !== path || !isWithin(path, within)) {
      throw new InvalidTenantError(
        `The tenant id "${id}" would make the key file path leave ${withinShown}; tenant ids cannot name other files.`,
        { tenant: id },
      );
    }
    const entryName = (this.#entry as string).split(TENANT_PLACEHOLDER);
    const display = this.#quoted ? path : this.#shown;
    return {
      path,
      display,
      quoted: this.#quoted,
      source: `file:${display}`,
      tenant: id,
      within,
      withinDisplay: withinShown,
      entry: join(within, entryName.join(id)),
      entryOtherCase: join(within, entryName.join(swapCase(id))),
    };
  }
}

function count(path: string): number {
  return path.split(TENANT_PLACEHOLDER).length - 1;
}

function swapCase(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
}
