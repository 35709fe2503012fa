/**
 * The low-cardinality template of a OnceHub request path, for span names and `url.template`: OnceHub's paths are
 * `/{collection}`, `/{collection}/{id}` and `/{collection}/{id}/{action}` under the base path, so the second
 * segment after it, and any from the fourth on, is an id (`/v2/bookings/BKNG-1/cancel` becomes
 * `/v2/bookings/{id}/cancel`). A path outside the base path has no template: it names no OnceHub resource, and
 * the span is named by its method alone.
 *
 * @param path - The request's path, without query (as the `request` event carries it).
 * @param basePath - The base URL's path, e.g. `/v2`.
 */
export function urlTemplate(path: string, basePath: string): string | undefined {
  if (!path.startsWith(`${basePath}/`)) return undefined;
  const segments = path.slice(basePath.length + 1).split("/");
  // `/notifications/sms` is OnceHub's one fixed two-segment path: an action, not an id.
  if (segments[0] === "notifications") return path;
  return `${basePath}/${segments.map((segment, index) => (index === 1 || index >= 3 ? "{id}" : segment)).join("/")}`;
}
