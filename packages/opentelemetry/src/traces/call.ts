import type { RequestEvent } from "@oncekey/core/source";
import type { Attributes, Context } from "@opentelemetry/api";

/** Something that happened during a call, kept until its span is written. */
export interface CallEvent {
  readonly name: string;
  readonly attributes: Attributes;
  /** Epoch milliseconds. */
  readonly time: number;
}

/**
 * One API call as rebuilt from its `request` events: the exchanges so far, and what followed the last one. Its
 * span is written when the call is known to be over.
 */
export interface Call {
  /** The context the first exchange ended in: the caller's, so the span's parent is the caller's span. */
  readonly parent: Context;
  /** Tenant, method and path of the first exchange: a retry or replay repeats them. */
  readonly identity: string;
  readonly first: RequestEvent;
  /** When the first exchange began, epoch milliseconds. */
  readonly startTime: number;
  last: RequestEvent;
  /** When the last exchange ended, epoch milliseconds. */
  endTime: number;
  readonly events: CallEvent[];
  /** A `retry` or `key:rejected` followed the last exchange: another exchange is coming. */
  followedUp: boolean;
  /** OnceHub refused the key: the provider is being asked for a new one. */
  awaitingKey: boolean;
  /** When to stop waiting for the next exchange and write the span as it is, epoch milliseconds. */
  deadline: number;
}

/** The {@link Call.identity} of an exchange. */
export function identityOf(event: RequestEvent | { tenant?: string; method: string; path: string }): string {
  return `${event.tenant ?? ""} ${event.method} ${event.path}`;
}
