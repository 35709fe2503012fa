import { quotableConfigValue } from "@oncekey/core/source";

/**
 * A configured path as output may show it: the path, or `<SETTING>` when the library's rule says it could be a key
 * pasted into the wrong variable (see `quotableConfigValue`).
 *
 * @param value - The path as configured.
 * @param setting - The variable that gave it, e.g. `ONCEKEY_FILE_PATH`.
 * @param resolved - What to show in place of `value` when it may be shown (e.g. the absolute path).
 * @example
 * ```ts
 * shownPath("./oncehub.key", "ONCEKEY_FILE_PATH", "/srv/app/oncehub.key"); // "/srv/app/oncehub.key"
 * ```
 */
export function shownPath(value: string, setting: string, resolved = value): string {
  return quotableConfigValue(value, "path") === undefined ? `<${setting}>` : resolved;
}

/**
 * A URL as output may show it: the origin, and the path only when it is short and plain (`/v2`), so nothing a
 * key could hide in is printed.
 *
 * @param url - A URL the configuration already validated.
 * @example
 * ```ts
 * shownUrl("https://api.oncehub.com/v2"); // "https://api.oncehub.com/v2"
 * ```
 */
export function shownUrl(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/+$/, "");
  return /^[A-Za-z0-9/._-]{0,20}$/.test(path) ? `${parsed.origin}${path}` : `${parsed.origin}/…`;
}
