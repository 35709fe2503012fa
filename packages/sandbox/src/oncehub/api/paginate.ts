import type { ApiRequest, ApiResult } from "./api-result.js";
import { apiError, BOTH_CURSORS } from "./oncehub-errors.js";

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

/**
 * One page of `items` (already in OnceHub's order, newest first) as OnceHub serves a list: the
 * `{ object: "list", data, has_more }` envelope and a `Link` header with `rel="next"` / `rel="previous"`.
 *
 * `after=<id>` gives the items after that one, `before=<id>` the `limit` items just before it; `has_more` tells
 * whether more items lie beyond the page in the direction of travel. `kind` words the error for an unknown cursor.
 */
export function paginate<T extends { readonly id: string }>(
  items: readonly T[],
  request: ApiRequest,
  kind: string,
): ApiResult {
  const { after, before, limit: rawLimit } = request.query;
  if (after !== undefined && before !== undefined)
    return apiError(400, "invalid_request_error", BOTH_CURSORS);
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    limit = /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      return apiError(
        400,
        "invalid_request_error",
        `Out of range value: ${rawLimit}. Please provide a number between 1 and ${MAX_LIMIT}.`,
        "limit",
      );
    }
  }

  let start = 0;
  let end = Math.min(limit, items.length);
  let hasMore = end < items.length;
  const cursor = after ?? before;
  if (cursor !== undefined) {
    const position = items.findIndex((item) => item.id === cursor);
    if (position === -1) {
      return apiError(
        400,
        "invalid_request_error",
        `No such ${kind}: '${cursor}'`,
        after === undefined ? "before" : "after",
      );
    }
    if (after !== undefined) {
      start = position + 1;
      end = Math.min(start + limit, items.length);
      hasMore = end < items.length;
    } else {
      end = position;
      start = Math.max(0, end - limit);
      hasMore = start > 0;
    }
  }

  const data = items.slice(start, end);
  const links: string[] = [];
  const first = data[0];
  const last = data[data.length - 1];
  if (last !== undefined && end < items.length)
    links.push(`<${pageUrl(request, "after", last.id, limit)}>; rel="next"`);
  if (first !== undefined && start > 0)
    links.push(`<${pageUrl(request, "before", first.id, limit)}>; rel="previous"`);
  return {
    status: 200,
    body: { object: "list", data, has_more: hasMore },
    ...(links.length > 0 ? { headers: { link: links.join(", ") } } : {}),
  };
}

function pageUrl(request: ApiRequest, cursor: "after" | "before", id: string, limit: number): string {
  const params = new URLSearchParams({ [cursor]: id, limit: String(limit) });
  for (const [name, value] of Object.entries(request.query)) {
    if (name !== "after" && name !== "before" && name !== "limit") params.append(name, value);
  }
  return `${request.origin}${request.path}?${params.toString()}`;
}
