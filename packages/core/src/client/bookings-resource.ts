import type { Booking, BookingListParams } from "./booking.js";
import type { CallOptions, RequestOptions } from "./call-options.js";
import { type ListParams, type Page, PagedList, toPage } from "./list-page.js";
import { resourcePath } from "./resource-path.js";

/** What the resources need from the client. */
export type Requester = <T>(method: string, path: string, options?: RequestOptions) => Promise<T>;

/**
 * `client.bookings`: OnceHub's bookings (`GET /bookings`, `GET /bookings/{id}`).
 *
 * @example
 * ```ts
 * for await (const booking of client.bookings.list({ status: "scheduled" })) console.log(booking.id);
 * const page = await client.bookings.page({ limit: 20 });
 * const one = await client.bookings.get(page.data[0].id);
 * ```
 * @inline
 */
export interface BookingsResource {
  /**
   * Every booking matching `params`, newest first, as an async iterable that reads page after page (100 per page
   * unless `limit` says otherwise); `.pages()` walks the pages themselves.
   */
  list(params?: Omit<BookingListParams, "before">, options?: CallOptions): PagedList<Booking>;
  /** One page, with the cursors to the next and previous ones. */
  page(params?: BookingListParams, options?: CallOptions): Promise<Page<Booking>>;
  /** One booking; an unknown id is an `InvalidRequestError` with status 404 and `param: "id"`. */
  get(id: string, options?: CallOptions): Promise<Booking>;
}

/** Builds `client.bookings` on the client's `request`. */
export function bookingsResource(request: Requester): BookingsResource {
  const page = async (params: BookingListParams = {}, options: CallOptions = {}): Promise<Page<Booking>> =>
    toPage<Booking>(await request("GET", "/bookings", { ...options, query: { ...params } }), params);
  return {
    list: (params = {}, options = {}) =>
      new PagedList<Booking>((next: ListParams) => page(next, options), { limit: 100, ...params }),
    page,
    get: async (id, options = {}) => request<Booking>("GET", resourcePath("/bookings", id), options),
  };
}
