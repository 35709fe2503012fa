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
  /** The kind of object OnceHub sent: always `booking`. */
  readonly object: "booking";
  /** e.g. `BKNG-J4FR05BKEWEX`. */
  readonly id: string;
  /** A second unique id OnceHub gives every booking, e.g. `D36E0002`. */
  readonly tracking_id?: string;
  /** The service or subject named in the booking form, e.g. `Live demo`. */
  readonly subject?: string;
  /** Where the booking stands; a status OnceHub adds later comes through as its string. */
  readonly status: BookingStatus | (string & Record<never, never>);
  /** Whether the booking was moved to the trash of the activity stream (not yet deleted for good). */
  readonly in_trash?: boolean;
  /** ISO 8601, UTC. */
  readonly creation_time: string;
  /** ISO 8601, UTC. */
  readonly starting_time?: string;
  /** When the booking last changed; ISO 8601, UTC. */
  readonly last_updated_time?: string;
  /** IANA time zone, e.g. `America/New_York`. */
  readonly customer_timezone?: string;
  /** The meeting's length, in minutes. */
  readonly duration_minutes?: number;
  /** Attendees' emails. */
  readonly attendees?: readonly string[];
  /** What the customer entered in the booking form. */
  readonly form_submission?: {
    /** The customer's name. */
    readonly name?: string;
    /** The customer's email address. */
    readonly email?: string;
    /** The customer's phone number. */
    readonly phone?: string;
    /** The customer's mobile phone number. */
    readonly mobile_phone?: string;
    /** The note the customer left. */
    readonly note?: string;
    /** The customer's company. */
    readonly company?: string;
    /** Every other field of the form (guests, custom fields), as OnceHub sent it. */
    readonly [field: string]: unknown;
  };
  /** A user id (`USR-…`), or the user when expanded. */
  readonly owner?: string | Readonly<Record<string, unknown>>;
  /** A contact id (`CTC-…`), or the contact when expanded. */
  readonly contact?: string | Readonly<Record<string, unknown>>;
  /** The booking page it was made on (`BP-…`), or the page when expanded; booking pages only. */
  readonly booking_page?: string | Readonly<Record<string, unknown>> | null;
  /** The booking calendar it was made on (`BKC-…`); booking calendars only. */
  readonly booking_calendar?: string | null;
  /** Who canceled or rescheduled the booking, and why; absent or null when nobody did. */
  readonly cancel_reschedule_information?: {
    /** The reason given, e.g. `Change in schedule`. */
    readonly reason?: string;
    /** Who did it: `user` (someone of your team) or `customer` (who made the booking). */
    readonly actioned_by?: "user" | "customer";
    /** The user who did it (`USR-…`), when a user did. */
    readonly user_id?: string;
  } | null;
  /** Every other field OnceHub sends, e.g. `location_description`, `virtual_conferencing`. */
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
  /** Only bookings in this status. */
  readonly status?: BookingStatus;
  /** A user id: bookings owned by that user. */
  readonly owner?: string;
  /** A contact id. */
  readonly contact?: string;
  /** A booking page id (`BP-…`): bookings made on that page. */
  readonly booking_page?: string;
  /** A master page id (`MP-…`): bookings made through that master page. */
  readonly master_page?: string;
  /** An event type id (`ET-…`): bookings of that service. */
  readonly event_type?: string;
  /** A booking calendar id (`BKC-…`): bookings made on that calendar. */
  readonly booking_calendar?: string;
  /** A user id (`USR-…`): bookings on booking calendars that user hosts or co-hosts. */
  readonly host?: string;
  /** Bookings created after this time. */
  readonly "creation_time.gt"?: string;
  /** Bookings created before this time. */
  readonly "creation_time.lt"?: string;
  /** Bookings that start after this time. */
  readonly "starting_time.gt"?: string;
  /** Bookings that start before this time. */
  readonly "starting_time.lt"?: string;
  /** Bookings last changed after this time. */
  readonly "last_updated_time.gt"?: string;
  /** Bookings last changed before this time. */
  readonly "last_updated_time.lt"?: string;
  /** Comma-separated fields to expand, e.g. `owner,booking_page`. */
  readonly expand?: string;
}
