/**
 * The event types OnceHub documents for webhook subscriptions (`events[]`) and deliveries (`type`).
 *
 * @example
 * ```ts
 * const wanted: WebhookEventType[] = ["booking.scheduled", "booking.canceled"];
 * ```
 */
export type WebhookEventType =
  | "booking.scheduled"
  | "booking.rescheduled"
  | "booking.reassigned"
  | "booking.canceled_then_rescheduled"
  | "booking.canceled_reschedule_requested"
  | "booking.canceled"
  | "booking.completed"
  | "booking.no_show"
  | "conversation.started"
  | "conversation.closed"
  | "conversation.abandoned";

/**
 * The envelope OnceHub POSTs to a webhook subscription's URL, as {@link verifyWebhookSignature} returns it once
 * the signature checks out.
 *
 * `type` is one of {@link WebhookEventType} for every event documented today; any other string is kept as is, so
 * an event type OnceHub adds later still reaches the receiver instead of failing the delivery. `data` is the
 * booking or conversation the event is about, unchecked beyond being JSON; every other field of the body is
 * kept too.
 *
 * @example
 * ```ts
 * const event: WebhookEvent = verifyWebhookSignature(rawBody, header, secret);
 * if (event.type === "booking.scheduled") await onBooking(event.data);
 * ```
 */
export interface WebhookEvent {
  /** The event's id, e.g. `EVNT-KN56U3YL7C`; the same on every retry, so use it to ignore duplicates. */
  readonly id: string;
  /** Always `"event"`. */
  readonly object: "event";
  /** When OnceHub created the event, ISO 8601 in UTC. */
  readonly creation_time: string;
  /** What happened, e.g. `booking.scheduled`. */
  readonly type: WebhookEventType | (string & Record<never, never>);
  /** The API version `data` is rendered in, e.g. `v2`. */
  readonly api_version: string;
  /** The booking or conversation the event is about. */
  readonly data: unknown;
}
