import { seededCode, seededId } from "../state/ids.js";

/** A booking as the sandbox serves it: the fields of OnceHub's `Booking` schema that a client reads. */
export interface SandboxBooking {
  readonly object: "booking";
  readonly id: string;
  readonly tracking_id: string;
  readonly subject: string;
  readonly status: "requested" | "scheduled" | "rescheduled" | "completed" | "canceled" | "no_show";
  readonly in_trash: boolean;
  readonly creation_time: string;
  readonly starting_time: string;
  readonly customer_timezone: string;
  readonly last_updated_time: string;
  readonly duration_minutes: number;
  readonly owner: string;
  readonly contact: string;
  readonly conversation: null;
  readonly utm_params: null;
  readonly booking_page: string;
  readonly master_page: null;
  readonly event_type: string;
  readonly virtual_conferencing: { readonly join_url: string };
  readonly cancel_reschedule_information?: { readonly reason: string; readonly actioned_by: "customer" };
  readonly attendees: readonly string[];
  readonly form_submission: {
    readonly name: string;
    readonly email: string;
    readonly phone: null;
    readonly mobile_phone: string;
    readonly note: string;
    readonly company: null;
    readonly guests: readonly string[];
    readonly custom_fields: readonly { readonly name: string; readonly value: string }[];
  };
  readonly payment_information: null;
  readonly custom_fields: readonly { readonly name: string; readonly value: string }[];
}

const STATUSES = ["scheduled", "completed", "rescheduled", "canceled", "no_show", "requested"] as const;
const SUBJECTS = ["Live demo", "Discovery call", "Onboarding session", "Quarterly review", "Support call"];
const PEOPLE = ["Carrie Customer", "Dana Doe", "Eli Example", "Fran Foster", "Gil Green", "Hana Hill"];
const TIMEZONES = ["America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney"];
// A fixed origin keeps seeded data identical across runs; bookings are an hour and a half apart, newest first.
const NEWEST = Date.UTC(2026, 0, 15, 9, 30, 0);
const SPACING_MS = 90 * 60_000;

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Creates `count` deterministic bookings for an account, in OnceHub's list order (newest `creation_time` first).
 * The same seed gives the same bookings, and different seeds give different ids.
 */
export function seedBookings(count: number, seed: string): SandboxBooking[] {
  const bookings: SandboxBooking[] = [];
  for (let i = 0; i < count; i++) {
    const created = NEWEST - i * SPACING_MS;
    const status = STATUSES[i % STATUSES.length] ?? "scheduled";
    const person = PEOPLE[i % PEOPLE.length] ?? "Carrie Customer";
    const email = `${person.toLowerCase().replace(/ /g, ".")}@example.com`;
    const id = seededId("BKNG", 12, `${seed}/booking/${i}`);
    bookings.push({
      object: "booking",
      id,
      tracking_id: seededCode(8, `${seed}/tracking/${i}`),
      subject: SUBJECTS[i % SUBJECTS.length] ?? "Live demo",
      status,
      in_trash: false,
      creation_time: isoSeconds(created),
      starting_time: isoSeconds(created + 3 * 24 * 3600_000),
      customer_timezone: TIMEZONES[i % TIMEZONES.length] ?? "America/New_York",
      last_updated_time: isoSeconds(created + 60_000),
      duration_minutes: 30 + (i % 4) * 15,
      owner: seededId("USR", 9, `${seed}/owner`),
      contact: seededId("CTC", 14, `${seed}/contact/${i % PEOPLE.length}`),
      conversation: null,
      utm_params: null,
      booking_page: seededId("BP", 10, `${seed}/page/${i % 3}`),
      master_page: null,
      event_type: seededId("ET", 10, `${seed}/event-type/${i % 2}`),
      virtual_conferencing: { join_url: `https://meet.example.com/${id.slice(5).toLowerCase()}` },
      ...(status === "canceled" || status === "rescheduled"
        ? {
            cancel_reschedule_information: { reason: "Change in schedule", actioned_by: "customer" as const },
          }
        : {}),
      attendees: [email],
      form_submission: {
        name: person,
        email,
        phone: null,
        mobile_phone: "1-2025550195",
        note: "I want to discuss whether your product can work for our office.",
        company: null,
        guests: [],
        custom_fields: [{ name: "Title", value: "Executive Assistant" }],
      },
      payment_information: null,
      custom_fields: [],
    });
  }
  return bookings;
}
