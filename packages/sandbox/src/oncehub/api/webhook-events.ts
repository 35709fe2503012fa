/** The event types OnceHub delivers, and that a subscription's `events` may name. */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  "booking.scheduled",
  "booking.rescheduled",
  "booking.reassigned",
  "booking.canceled_then_rescheduled",
  "booking.canceled_reschedule_requested",
  "booking.canceled",
  "booking.completed",
  "booking.no_show",
  "conversation.started",
  "conversation.closed",
  "conversation.abandoned",
];
