import type { AccountRecord } from "../state/account-store.js";
import type { ApiRequest, ApiResult } from "./api-result.js";
import { getBooking, listBookings } from "./bookings-routes.js";
import { unrecognizedUrl } from "./oncehub-errors.js";
import { createWebhook, deleteWebhook, getWebhook, listWebhooks } from "./webhooks-routes.js";

/** The id in `/v2/<collection>/<id>`, decoded, or undefined when the path is not of that form. */
function idIn(path: string, collection: string): string | undefined {
  if (!path.startsWith(collection) || path.length <= collection.length) return undefined;
  const raw = path.slice(collection.length);
  if (raw.includes("/")) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Serves an authenticated, rate-checked API request; anything not served is OnceHub's "unrecognized" 404. */
export function routeApiRequest(account: AccountRecord, request: ApiRequest): ApiResult | Promise<ApiResult> {
  const { method, path } = request;
  if (path === "/v2/test") {
    if (method === "GET") return { status: 200, body: account.testBody };
  } else if (path === "/v2/bookings") {
    if (method === "GET") return listBookings(account, request);
  } else if (path === "/v2/webhooks") {
    if (method === "GET") return listWebhooks(account, request);
    if (method === "POST") return createWebhook(account, request);
  } else {
    const bookingId = idIn(path, "/v2/bookings/");
    if (bookingId !== undefined && method === "GET") return getBooking(account, bookingId);
    const webhookId = idIn(path, "/v2/webhooks/");
    if (webhookId !== undefined && method === "GET") return getWebhook(account, webhookId);
    if (webhookId !== undefined && method === "DELETE") return deleteWebhook(account, webhookId);
  }
  return unrecognizedUrl(method, path);
}
