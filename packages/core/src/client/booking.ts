import type { ListParams } from "./list-page.js";

/**
 * A booking's status.
 *
 * @example
 * ```ts
 * const open: BookingStatus[] = ["requested", "scheduled", "rescheduled"];
 * ```
 */
export type BookingStatus = "requested" | "scheduled" | "rescheduled" | "completed" | "canceled" | "no_show";

/**
 * An OnceHub booking (`object: "booking"`), with the fields most apps read typed; every other field OnceHub sends
 * is kept as `unknown`. Expandable fields (`owner`, `booking_page` …) are an id, or the object when expanded.
 *
 * @example
 * ```ts
 * for await (const booking of client.bookings.list({ status: "scheduled" })) {
 *   console.log(booking.id, booking.starting_time, booking.form_submission?.email);
 * }
 * ```
 */
export interface Booking {
  readonly object: "booking";
  /** e.g. `BKNG-J4FR05BKEWEX`. */
  readonly id: string;
  readonly tracking_id?: string;
  readonly subject?: string;
  readonly status: BookingStatus | (string & Record<never, never>);
  readonly in_trash?: boolean;
  /** ISO 8601, UTC. */
  readonly creation_time: string;
  /** ISO 8601, UTC. */
  readonly starting_time?: string;
  readonly last_updated_time?: string;
  /** IANA time zone, e.g. `America/New_York`. */
  readonly customer_timezone?: string;
  readonly duration_minutes?: number;
  /** Attendees' emails. */
  readonly attendees?: readonly string[];
  /** What the customer entered in the booking form. */
  readonly form_submission?: {
    readonly name?: string;
    readonly email?: string;
    readonly phone?: string;
    readonly mobile_phone?: string;
    readonly note?: string;
    readonly company?: string;
    readonly [field: string]: unknown;
  };
  /** A user id (`USR-…`), or the user when expanded. */
  readonly owner?: string | Readonly<Record<string, unknown>>;
  /** A contact id (`CTC-…`), or the contact when expanded. */
  readonly contact?: string | Readonly<Record<string, unknown>>;
  readonly booking_page?: string | Readonly<Record<string, unknown>> | null;
  readonly booking_calendar?: string | null;
  readonly cancel_reschedule_information?: {
    readonly reason?: string;
    readonly actioned_by?: "user" | "customer";
    readonly user_id?: string;
  } | null;
  readonly [field: string]: unknown;
}

/**
 * Filters and paging of `GET /bookings`; dates are ISO 8601.
 *
 * @example
 * ```ts
 * const params: BookingListParams = { status: "scheduled", "starting_time.gt": "2026-01-01T00:00:00Z", expand: "owner" };
 * ```
 */
export interface BookingListParams extends ListParams {
  readonly status?: BookingStatus;
  /** A user id: bookings owned by that user. */
  readonly owner?: string;
  /** A contact id. */
  readonly contact?: string;
  readonly booking_page?: string;
  readonly master_page?: string;
  readonly event_type?: string;
  readonly booking_calendar?: string;
  readonly host?: string;
  readonly "creation_time.gt"?: string;
  readonly "creation_time.lt"?: string;
  readonly "starting_time.gt"?: string;
  readonly "starting_time.lt"?: string;
  readonly "last_updated_time.gt"?: string;
  readonly "last_updated_time.lt"?: string;
  /** Comma-separated fields to expand, e.g. `owner,booking_page`. */
  readonly expand?: string;
}
