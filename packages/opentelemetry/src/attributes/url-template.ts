/**
 * The low-cardinality template of a OnceHub request path, for span names (`GET /v2/bookings/{id}`): OnceHub's paths are
 * `/{collection}`, `/{collection}/{id}` and `/{collection}/{id}/{action}` under the base path, so the second
 * segment after it, and any from the fourth on, is an id (`/v2/bookings/BKNG-1/cancel` becomes
 * `/v2/bookings/{id}/cancel`). A path outside the base path has no template: it names no OnceHub resource, and
 * the span is named by its method alone.
 *
 * @param path - The request's path, without query (as the `request` event carries it).
 * @param basePath - The base URL's path, e.g. `/v2`.
 */
export function urlTemplate(path: string, basePath: string): string | undefined {
  const start = basePath.length + 1;
  if (path.length < start || path.charCodeAt(start - 1) !== SLASH || !path.startsWith(basePath))
    return undefined;
  const collectionEnd = path.indexOf("/", start);
  // One segment (`/v2/test`), or OnceHub's one fixed two-segment path: an action, not an id.
  if (collectionEnd === -1 || path.startsWith("notifications/", start)) return path;
  let template = path.slice(0, collectionEnd);
  for (let index = 1, from = collectionEnd + 1; ; index++) {
    const end = path.indexOf("/", from);
    template += index === 2 ? `/${path.slice(from, end === -1 ? undefined : end)}` : "/{id}";
    if (end === -1) return template;
    from = end + 1;
  }
}

const SLASH = 0x2f;
