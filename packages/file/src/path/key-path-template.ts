import { dirname, join, parse, relative, resolve, sep } from "node:path";
import { InvalidTenantError } from "@oncekey/core";
import { describeTenant, TenantTemplate, type ConfiguredValue } from "@oncekey/core/source";
import { isWithin } from "./is-within.js";

/** The placeholder that a path template replaces with the tenant id. */
export const TENANT_PLACEHOLDER = "{tenant}";

/** One key file, as a tenant's request resolves to it. */
export interface KeyFileTarget {
  /** The absolute path to read. */
  readonly path: string;
  /**
   * The path as `source` strings show it: `path`, or the setting that gave it (`<ONCEKEY_FILE_PATH>`) when the path
   * as configured could be a key pasted there (see `quotableConfigValue`).
   */
  readonly display: string;
  /**
   * The file as a sentence names it: `the key file /run/secrets/oncehub`, or `the key file named by
   * ONCEKEY_FILE_PATH (a relative path of 43 characters, in the working directory /srv/app)`.
   */
  readonly phrase: string;
  /** The path as a sentence names it: itself, or `the path named by ONCEKEY_FILE_PATH (a relative path …)`. */
  readonly place: string;
  /** Whether `display` is the path itself. */
  readonly quoted: boolean;
  /** The paths Node's errors may repeat but messages may not (empty when the path is quoted). */
  readonly hidden: readonly string[];
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
 * A key file path, possibly holding `{tenant}`, resolved per request without any I/O: core's `TenantTemplate` (a
 * fixed part first, tenant ids validated, "not found" for a request that does not match the template), with the
 * locks a path needs on top.
 *
 * The directory of a template is the one that holds the first `{tenant}`: `/keys/{tenant}/key` and
 * `/keys/oncehub-{tenant}.key` both stay inside `/keys`. Tenant ids are checked with `validateTenant` (letters,
 * digits, `_` and `-`), which already rules out `..`, `/`, `%`, NUL and absolute paths; the checks below (no
 * separator or NUL in the id, the path unchanged by normalising, inside the directory) are a second lock that does
 * not rely on that rule.
 */
export class KeyPathTemplate {
  readonly #template: TenantTemplate;
  readonly #value: ConfiguredValue;
  readonly #within: string | undefined;
  readonly #withinShown: string | undefined;
  /** The name of the entry of `#within` that holds `{tenant}`, e.g. `oncehub-{tenant}.key`. */
  readonly #entry: string | undefined;

  /**
   * @param value - The path as configured, relative paths against the working directory.
   * @throws `ConfigError` naming the setting when the path is empty, holds NUL, or places `{tenant}` directly under
   *   the root or where `..` leads out of it.
   */
  constructor(value: ConfiguredValue) {
    const path = value.value;
    if (path.trim() === "")
      throw value.error('is empty; pass the key file\'s path, e.g. "/run/secrets/oncehub".');
    if (path.includes("\0")) throw value.error("holds a NUL character.");
    const absolute = resolve(path);
    if (count(absolute) !== count(path)) {
      throw value.error(`must not step out of ${TENANT_PLACEHOLDER} with "..".`);
    }
    this.#value = value;
    this.#template = new TenantTemplate(
      value,
      {
        noun: "key file",
        sourceOf: (shown) => `file:${shown}`,
        defaultSegment: (tenant) => tenant,
        example: "/run/secrets/oncehub/{tenant}",
        repeatable: true,
      },
      { text: absolute },
    );
    if (!this.#template.perTenant) {
      this.#within = undefined;
      this.#withinShown = undefined;
      this.#entry = undefined;
      return;
    }
    this.#within = dirname(`${this.#template.prefix}x`);
    this.#withinShown = value.quoted
      ? this.#within
      : `the directory of ${value.phrase("key file", absolute)}`;
    if (parse(this.#within).root === this.#within) {
      throw value.error(
        `puts ${TENANT_PLACEHOLDER} directly under the root; keep tenants' key files in a directory of their own, ` +
          'e.g. "/run/secrets/oncehub/{tenant}".',
      );
    }
    this.#entry = relative(this.#within, absolute).split(sep)[0];
  }

  /**
   * Returns the file for `tenant`, before any I/O.
   *
   * @throws `InvalidTenantError` for an invalid tenant id or a path that would leave the directory.
   * @throws `KeyNotFoundError` when the path holds `{tenant}` and no tenant was asked for, or holds none and one
   *   was: a key without `{tenant}` belongs to no tenant.
   */
  resolve(tenant: string | undefined): KeyFileTarget {
    const path = this.#template.nameFor(tenant);
    const value = this.#value;
    const base = {
      path,
      display: this.#template.shown(path),
      phrase: value.phrase("key file", path),
      place: value.spoken("path", path),
      quoted: value.quoted,
      hidden: value.quoted ? [] : [value.value, path],
      source: this.#template.sourceOf(path),
    };
    if (tenant === undefined) return base;
    const within = this.#within as string;
    const withinShown = this.#withinShown as string;
    // A second lock that does not lean on the tenant id rule: the id stays one name, inside the directory.
    if (/[/\\\0]/.test(tenant) || resolve(path) !== path || !isWithin(path, within)) {
      throw new InvalidTenantError(
        `The tenant id ${describeTenant(tenant)} would make the key file path leave ${withinShown}; tenant ids cannot name other files.`,
        { tenant },
      );
    }
    const entryName = (this.#entry as string).split(TENANT_PLACEHOLDER);
    return {
      ...base,
      tenant,
      within,
      withinDisplay: withinShown,
      entry: join(within, entryName.join(tenant)),
      entryOtherCase: join(within, entryName.join(swapCase(tenant))),
    };
  }
}

function count(path: string): number {
  return path.split(TENANT_PLACEHOLDER).length - 1;
}

function swapCase(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
}
