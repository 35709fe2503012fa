import type { KeyLoadedEvent, KeyRejectedEvent, RequestEvent, RetryEvent } from "@oncekey/core/source";
import {
  type Attributes,
  type Context,
  context,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from "@opentelemetry/api";
import { errorType, methodAttribute } from "../attributes/http-outcome.js";
import {
  ATTR_DURATION_MS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_KEY_FINGERPRINT,
  ATTR_KEY_LOAD_REASON,
  ATTR_KEY_PREVIOUS_FINGERPRINT,
  ATTR_KEY_PROVIDER,
  ATTR_RETRY_DELAY_MS,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  EVENT_KEY_LOADED,
  EVENT_KEY_REJECTED,
  EVENT_KEY_ROTATED,
  EVENT_RETRY,
} from "../attributes/names.js";
import { urlTemplate } from "../attributes/url-template.js";
import { epochMs } from "../clock.js";
import type { ResolvedOptions } from "../resolve-options.js";
import { type Call, type CallEvent, identityOf } from "./call.js";
import { PendingCalls } from "./pending-calls.js";

/**
 * How long after a failed exchange a `retry` or `key:rejected` may still come: core decides after the exchange's
 * event, in the same turn of the event loop for a retry, but may read a key first. Without one by then, the call
 * is over and its span is written.
 */
const DECISION_MS = 1_000;
/**
 * How long a call waits for its next exchange beyond the announced backoff (pacing, a slow key source, a rotation
 * wait) before its span is written as it stands.
 */
const GRACE_MS = 30_000;
const NO_EVENTS: readonly CallEvent[] = [];

/** What a call's span is named and holds. */
interface SpanShape {
  readonly name: string;
  readonly attributes: Attributes;
  /** The call ended in a 4xx, a 5xx or no answer: the span's status is `ERROR`. */
  readonly failed: boolean;
}

/** The exchange whose span was shaped last, and that shape. */
interface LastShape {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly fingerprint: string | undefined;
  readonly tenant: string | undefined;
  readonly shape: SpanShape;
}

/**
 * One CLIENT span per API call, rebuilt from the events core publishes. Core publishes one `request` event per
 * exchange, after it ends, with its `attempt` number and duration, but no call id and no event when a call begins
 * or ends. So:
 *
 * - a call begins with an exchange whose `attempt` is 1 (the span starts when that exchange started: the key read
 *   and pacing before it are not inside);
 * - a call whose exchange succeeded is over; one whose exchange failed waits for a `retry` or `key:rejected` event
 *   of the same call (tenant, method, path, attempt number; key and status), and is over if none comes within
 *   {@link DECISION_MS};
 * - the next exchange of a waiting call is found by tenant, method, path and attempt number, from the same
 *   context when several match.
 *
 * Retries, key rejections, the key read again and the key rotation are span events.
 */
export class CallSpans {
  #tracer: Tracer;
  readonly #options: ResolvedOptions;
  readonly #pending = new PendingCalls((call) => this.#finish(call));
  #lastShape: LastShape | undefined;

  constructor(tracer: Tracer, options: ResolvedOptions) {
    this.#tracer = tracer;
    this.#options = options;
  }

  set tracer(tracer: Tracer) {
    this.#tracer = tracer;
  }

  /** One exchange ended. */
  request(event: RequestEvent): void {
    const end = epochMs();
    const start = end - event.durationMs;
    const parent = context.active();
    const succeeded = event.status >= 200 && event.status < 300;
    if (succeeded && event.attempt === 1) {
      this.#write(parent, event, event, start, end, NO_EVENTS);
      return;
    }
    const identity = identityOf(event);
    let call = event.attempt > 1 ? this.#pending.take(identity, event.attempt, parent) : undefined;
    if (call === undefined) {
      call = {
        parent,
        identity,
        first: event,
        startTime: start,
        last: event,
        endTime: end,
        events: [],
        followedUp: false,
        awaitingKey: false,
        deadline: 0,
      };
    } else {
      if (call.last.fingerprint !== event.fingerprint)
        call.events.push(this.#rotation(call.last, event, start));
      call.last = event;
      call.endTime = end;
      call.followedUp = false;
      call.awaitingKey = false;
    }
    if (succeeded) {
      this.#finish(call);
      return;
    }
    call.deadline = end + DECISION_MS;
    this.#pending.add(call);
  }

  /** A failed exchange is retried after `delayMs`. */
  retry(event: RetryEvent): void {
    const call = this.#pending.find(
      identityOf(event),
      (c) => !c.followedUp && c.last.attempt === event.attempt && c.last.fingerprint === event.fingerprint,
      context.active(),
    );
    if (call === undefined) return;
    const now = epochMs();
    call.events.push({
      name: EVENT_RETRY,
      time: now,
      attributes: {
        [ATTR_HTTP_REQUEST_RESEND_COUNT]: event.attempt,
        [ATTR_ERROR_TYPE]: event.reason,
        [ATTR_RETRY_DELAY_MS]: event.delayMs,
      },
    });
    call.followedUp = true;
    call.deadline = now + event.delayMs + GRACE_MS;
  }

  /** OnceHub refused the key of a call: the key is fetched again, and the call replayed. */
  keyRejected(event: KeyRejectedEvent): void {
    const call = this.#pending.find(
      undefined,
      (c) =>
        !c.followedUp &&
        c.last.status === event.status &&
        c.last.fingerprint === event.fingerprint &&
        c.last.tenant === event.tenant,
      context.active(),
    );
    if (call === undefined) return;
    const now = epochMs();
    const attributes: Attributes = { [ATTR_HTTP_RESPONSE_STATUS_CODE]: event.status };
    if (this.#options.fingerprintAttribute) attributes[ATTR_KEY_FINGERPRINT] = event.fingerprint;
    call.events.push({ name: EVENT_KEY_REJECTED, time: now, attributes });
    call.followedUp = true;
    call.awaitingKey = true;
    call.deadline = now + GRACE_MS;
  }

  /** A key was read: the calls of its tenant that wait for a new key record it. */
  keyLoaded(event: KeyLoadedEvent): void {
    if (this.#pending.size === 0) return;
    const now = epochMs();
    const attributes: Attributes = {
      [ATTR_KEY_PROVIDER]: event.provider,
      [ATTR_KEY_LOAD_REASON]: event.reason,
      [ATTR_DURATION_MS]: event.durationMs,
    };
    if (this.#options.fingerprintAttribute) attributes[ATTR_KEY_FINGERPRINT] = event.fingerprint;
    for (const call of this.#pending.filter((c) => c.awaitingKey && c.last.tenant === event.tenant))
      call.events.push({ name: EVENT_KEY_LOADED, time: now, attributes });
  }

  /** Writes every waiting call's span as it stands. */
  flush(): void {
    this.#pending.flush();
  }

  #rotation(previous: RequestEvent, next: RequestEvent, time: number): CallEvent {
    const attributes: Attributes = {};
    if (
      this.#options.fingerprintAttribute &&
      previous.fingerprint !== undefined &&
      next.fingerprint !== undefined
    ) {
      attributes[ATTR_KEY_PREVIOUS_FINGERPRINT] = previous.fingerprint;
      attributes[ATTR_KEY_FINGERPRINT] = next.fingerprint;
    }
    return { name: EVENT_KEY_ROTATED, time, attributes };
  }

  #finish(call: Call): void {
    this.#write(call.parent, call.first, call.last, call.startTime, call.endTime, call.events);
  }

  #write(
    parent: Context,
    first: RequestEvent,
    last: RequestEvent,
    start: number,
    end: number,
    events: readonly CallEvent[],
  ): void {
    const shape = this.#shapeOf(first, last);
    const span = this.#tracer.startSpan(
      shape.name,
      { kind: SpanKind.CLIENT, startTime: start, attributes: shape.attributes },
      parent,
    );
    for (const event of events) span.addEvent(event.name, event.attributes, event.time);
    if (shape.failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(end);
  }

  /**
   * The name, attributes and outcome of a call's span. The SDK copies the attributes it is given, so a call of one
   * exchange that looks like the one before (most do) reuses that one's, built once.
   */
  #shapeOf(first: RequestEvent, last: RequestEvent): SpanShape {
    const single = first === last && first.attempt === 1;
    const cached = this.#lastShape;
    if (
      single &&
      cached !== undefined &&
      cached.path === first.path &&
      cached.status === first.status &&
      cached.fingerprint === first.fingerprint &&
      cached.method === first.method &&
      cached.tenant === first.tenant &&
      cached.errorCode === first.errorCode
    )
      return cached.shape;

    const { server, fingerprintAttribute, tenantAttribute } = this.#options;
    const method = methodAttribute(first.method);
    const template = urlTemplate(first.path, server.basePath);
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_SERVER_ADDRESS]: server.address,
      [ATTR_SERVER_PORT]: server.port,
      [ATTR_URL_FULL]: server.origin + first.path,
    };
    if (method === "_OTHER") attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = first.method;
    if (last.status !== 0) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = last.status;
    const error = errorType(last.status, last.errorCode);
    if (error !== undefined) attributes[ATTR_ERROR_TYPE] = error;
    if (last.attempt > 1) attributes[ATTR_HTTP_REQUEST_RESEND_COUNT] = last.attempt - 1;
    if (fingerprintAttribute && last.fingerprint !== undefined)
      attributes[ATTR_KEY_FINGERPRINT] = last.fingerprint;
    if (tenantAttribute !== undefined && first.tenant !== undefined)
      attributes[tenantAttribute] = first.tenant;
    const verb = method === "_OTHER" ? "HTTP" : method;
    const shape = {
      name: template === undefined ? verb : `${verb} ${template}`,
      attributes,
      failed: error !== undefined,
    };
    if (single) {
      this.#lastShape = {
        method: first.method,
        path: first.path,
        status: first.status,
        errorCode: first.errorCode,
        fingerprint: first.fingerprint,
        tenant: first.tenant,
        shape,
      };
    }
    return shape;
  }
}
