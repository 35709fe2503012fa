/**
 * Reads a `Retry-After` header, in delta seconds or as an HTTP date, as a wait in ms; `undefined` when absent or
 * unreadable. A date in the past means "now" (0).
 *
 * @param value - The header value.
 * @param now - The current time in ms since the epoch.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === "") return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month; anything else Date.parse would accept is not one.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
