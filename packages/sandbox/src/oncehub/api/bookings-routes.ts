import type { AccountRecord } from "../state/account-store.js";
import type { ApiRequest, ApiResult } from "./api-result.js";
import { noSuch } from "./oncehub-errors.js";
import { paginate } from "./paginate.js";

/** `GET /v2/bookings`: the account's bookings, newest first, optionally filtered by `status`. */
export function listBookings(account: AccountRecord, request: ApiRequest): ApiResult {
  const status = request.query["status"];
  const bookings =
    status === undefined ? account.bookings : account.bookings.filter((b) => b.status === status);
  return paginate(bookings, request, "booking");
}

/** `GET /v2/bookings/{id}`: one booking, or OnceHub's 404. */
export function getBooking(account: AccountRecord, id: string): ApiResult {
  const booking = account.bookingsById.get(id);
  return booking === undefined ? noSuch("booking", id) : { status: 200, body: booking };
}
