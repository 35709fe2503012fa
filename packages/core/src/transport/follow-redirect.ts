import { ApiError } from "../errors/once-hub-api-error.js";
import { InsecureTransportError } from "../errors/insecure-transport-error.js";
import { type CallKeys, redactKey } from "./redact-key.js";

/** The most same-origin redirects followed for one call. */
export const MAX_REDIRECTS = 3;

/** Where a followed redirect goes. */
export interface RedirectHop {
  readonly method: string;
  readonly target: string;
  readonly body: string | undefined;
}

/**
 * Decides what to do with a 3xx answer. A redirect within the base URL's origin is followed (with the key) at
 * most {@link MAX_REDIRECTS} times, as `fetch` would: 303, and 301/302 after a POST, turn into a GET without
 * body; 307 and 308 keep the method and body. A redirect to any other origin (another host, port, or plain
 * `http:`) is refused with {@link InsecureTransportError} and never followed, so the key cannot travel there; the
 * message names its scheme and host, without any trace of the key ({@link redactKey}).
 *
 * @param origin - The base URL's origin.
 * @param status - The 3xx status.
 * @param location - The `Location` header.
 * @param current - The request that was redirected.
 * @param hops - Redirects already followed in this call.
 * @param what - The request, for messages.
 * @param requestId - OnceHub's `Request-Id`, for messages, already made safe to quote.
 * @param key - The key (or keys) the call carried, redacted from the refused target.
 */
export function followRedirect(
  origin: string,
  status: number,
  location: string | string[] | undefined,
  current: RedirectHop,
  hops: number,
  what: string,
  requestId: string | undefined,
  key?: CallKeys,
): RedirectHop {
  const quoted = requestId === undefined ? "" : ` Request-Id ${requestId}.`;
  const raw = Array.isArray(location) ? location[0] : location;
  let url: URL | undefined;
  try {
    url = raw === undefined ? undefined : new URL(raw, origin + current.target);
  } catch {
    url = undefined;
  }
  if (url === undefined) {
    throw new ApiError(`OnceHub answered ${what} with ${status} and no usable Location.${quoted}`, {
      status,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  if (url.origin !== origin) {
    const elsewhere = redactKey(`${url.protocol}//${url.host}`, key, { maxLength: 300 });
    throw new InsecureTransportError(
      `OnceHub answered ${what} with a ${status} redirect to ${elsewhere}, another origin than ` +
        `${origin}. It was not followed, so the API key was not sent there. If the API moved, change the base ` +
        `URL (ONCEHUB_BASE_URL).${quoted}`,
    );
  }
  if (hops >= MAX_REDIRECTS) {
    throw new ApiError(`OnceHub redirected ${what} more than ${MAX_REDIRECTS} times.${quoted}`, {
      status,
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  const toGet = status === 303 || ((status === 301 || status === 302) && current.method === "POST");
  return {
    method: toGet && current.method !== "HEAD" ? "GET" : current.method,
    target: url.pathname + url.search,
    body: toGet ? undefined : current.body,
  };
}
