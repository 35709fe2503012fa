import type {
  CallTrace,
  KeyLoadedEvent,
  KeyRejectedEvent,
  KeyStaleEvent,
  PacedEvent,
  RequestEvent,
  RetryEvent,
} from "@oncekey/core/source";
import {
  type Attributes,
  type Context,
  context,
  SpanKind,
  type Span,
  SpanStatusCode,
  trace as traceApi,
  type Tracer,
} from "@opentelemetry/api";
import { callErrorType, errorType, methodAttribute } from "../attributes/http-outcome.js";
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
  ATTR_PACING_WAIT_MS,
  ATTR_RETRY_DELAY_MS,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  EVENT_KEY_LOADED,
  EVENT_KEY_REJECTED,
  EVENT_KEY_ROTATED,
  EVENT_KEY_STALE,
  EVENT_PACED,
  EVENT_RETRY,
} from "../attributes/names.js";
import type { Servers } from "../attributes/servers.js";
import { urlTemplate } from "../attributes/url-template.js";
import type { ResolvedOptions } from "../resolve-options.js";
import { attachContext, canAttachContext } from "./attach-context.js";
import type { Call } from "./call.js";

/** The span name and start attributes of calls by one method to one server, for one tenant. */
interface StartShape {
  readonly origin: string;
  readonly method: string;
  readonly tenant: string | undefined;
  readonly name: string;
  readonly attributes: Attributes;
}

/** The span name and `url.full` of calls to one path, as the first exchange names it. */
interface PathShape {
  readonly origin: string;
  readonly method: string;
  readonly path: string;
  readonly name: string;
  readonly url: string;
}

/**
 * Whether a span that does not record still has a trace to hand on, so it is made active: a sampled-out span
 * of the SDK has an id of its own, which its children and outgoing requests carry (as not sampled). The API's
 * no-op tracer's span has none: the parent's span context as it is, or none at all.
 */
function continuesTrace(span: Span, parent: Context): boolean {
  const own = span.spanContext();
  return own !== traceApi.getSpanContext(parent) && traceApi.isSpanContextValid(own);
}

/**
 * One CLIENT span per API call, from core's `oncekey:call` tracing channel: the span starts at the channel's
 * `start`, before anything of the call (the key read, pacing), a child of the caller's active span; it is the
 * active span of everything the call does; it ends at `asyncEnd` (or `end`, for a call that threw at once). Each
 * event the call publishes lands on its own span: retries, key rejections, key reads, stale keys and pacing as
 * span events, the last exchange's status and key as attributes.
 *
 * An event names its call (`callId`, the `id` of the call's `CallTrace`): the instrumentation finds the span by
 * that number, and follows no async context of its own. A span that does not record (sampled out, or the API's
 * no-op tracer) gets nothing.
 */
export class CallSpans {
  /** The calls in progress, by their id. */
  readonly #open = new Map<number, Call>();
  #tracer: Tracer;
  readonly #options: ResolvedOptions;
  readonly #servers: Servers;
  #lastStart: StartShape | undefined;
  #lastPath: PathShape | undefined;

  constructor(tracer: Tracer, options: ResolvedOptions, servers: Servers) {
    this.#tracer = tracer;
    this.#options = options;
    this.#servers = servers;
  }

  /** Writes the spans of the calls that start from now on to `tracer`. */
  useTracer(tracer: Tracer): void {
    this.#tracer = tracer;
  }

  /**
   * `start`: the call's span starts, and becomes the active span of the call's synchronous part and of all it
   * starts (where a context manager carries it), so the spans made inside the call are its children.
   */
  started(trace: CallTrace): void {
    const parent = context.active();
    const shape = this.#startShapeOf(trace);
    const span = this.#tracer.startSpan(
      shape.name,
      { kind: SpanKind.CLIENT, attributes: shape.attributes },
      parent,
    );
    const recording = span.isRecording();
    const call: Call = {
      span,
      recording,
      token: undefined,
      exchanges: 0,
      first: undefined,
      last: undefined,
      ended: false,
    };
    this.#open.set(trace.id, call);
    // Only where a context manager carries it: without one, no span is active and nothing is worth building.
    if (canAttachContext() && (recording || continuesTrace(span, parent)))
      call.token = attachContext(traceApi.setSpan(parent, span));
  }

  /** `end`: the call's synchronous part returned; a call that threw there is over. */
  returned(trace: CallTrace): void {
    const call = this.#open.get(trace.id);
    if (call === undefined) return;
    call.token?.dispose();
    call.token = undefined;
    if ("error" in trace) {
      this.#open.delete(trace.id);
      this.#end(call, trace);
    }
  }

  /** `asyncEnd`: the call settled. */
  settled(trace: CallTrace): void {
    const call = this.#open.get(trace.id);
    if (call === undefined) return;
    this.#open.delete(trace.id);
    this.#end(call, trace);
  }

  /** One exchange ended. */
  request(event: RequestEvent): void {
    const call = this.#recording(event.callId);
    if (call === undefined) return;
    const previous = call.last;
    call.last = event;
    if (call.exchanges++ === 0) call.first = event;
    if (
      previous?.fingerprint !== undefined &&
      event.fingerprint !== undefined &&
      previous.fingerprint !== event.fingerprint
    ) {
      const attributes: Attributes = {};
      if (this.#options.fingerprintAttribute) {
        attributes[ATTR_KEY_PREVIOUS_FINGERPRINT] = previous.fingerprint;
        attributes[ATTR_KEY_FINGERPRINT] = event.fingerprint;
      }
      call.span.addEvent(EVENT_KEY_ROTATED, attributes);
    }
  }

  /** A failed exchange is sent again after `delayMs`. */
  retry(event: RetryEvent): void {
    this.#recording(event.callId)?.span.addEvent(EVENT_RETRY, {
      [ATTR_HTTP_REQUEST_RESEND_COUNT]: event.attempt,
      [ATTR_ERROR_TYPE]: event.reason,
      [ATTR_RETRY_DELAY_MS]: event.delayMs,
    });
  }

  /** OnceHub refused the call's key. */
  keyRejected(event: KeyRejectedEvent): void {
    const call = this.#recording(event.callId);
    if (call === undefined) return;
    const attributes: Attributes = { [ATTR_HTTP_RESPONSE_STATUS_CODE]: event.status };
    if (this.#options.fingerprintAttribute) attributes[ATTR_KEY_FINGERPRINT] = event.fingerprint;
    call.span.addEvent(EVENT_KEY_REJECTED, attributes);
  }

  /** The call read its key from the source (first use, expiry, change, or after a rejection). */
  keyLoaded(event: KeyLoadedEvent): void {
    const call = this.#recording(event.callId);
    if (call === undefined) return;
    const attributes: Attributes = {
      [ATTR_KEY_PROVIDER]: event.provider,
      [ATTR_KEY_LOAD_REASON]: event.reason,
      [ATTR_DURATION_MS]: event.durationMs,
    };
    if (this.#options.fingerprintAttribute) attributes[ATTR_KEY_FINGERPRINT] = event.fingerprint;
    call.span.addEvent(EVENT_KEY_LOADED, attributes);
  }

  /** The call got the last good key because the source failed. */
  keyStale(event: KeyStaleEvent): void {
    const call = this.#recording(event.callId);
    if (call === undefined) return;
    const attributes: Attributes = { [ATTR_ERROR_TYPE]: event.errorCode };
    if (this.#options.fingerprintAttribute) attributes[ATTR_KEY_FINGERPRINT] = event.fingerprint;
    call.span.addEvent(EVENT_KEY_STALE, attributes);
  }

  /** The call waits for its key's rate limit. */
  paced(event: PacedEvent): void {
    this.#recording(event.callId)?.span.addEvent(EVENT_PACED, { [ATTR_PACING_WAIT_MS]: event.waitMs });
  }

  /** Ends the spans of the calls still in progress, as they stand (the instrumentation is being disabled). */
  close(): void {
    for (const call of this.#open.values()) {
      call.token?.dispose();
      call.token = undefined;
      this.#end(call, undefined);
    }
    this.#open.clear();
  }

  /** The call `callId` names, if it is in progress and its span records. */
  #recording(callId: number | undefined): Call | undefined {
    if (callId === undefined) return undefined;
    const call = this.#open.get(callId);
    return call !== undefined && call.recording && !call.ended ? call : undefined;
  }

  /** Writes the call's outcome on its span and ends it; `trace` is `undefined` for a call cut short. */
  #end(call: Call, trace: CallTrace | undefined): void {
    if (call.ended) return;
    call.ended = true;
    const span = call.span;
    if (call.recording) {
      // Set one by one: setAttributes would take an object made for it and walk its entries.
      const { first, last } = call;
      if (first !== undefined) {
        const shape = this.#pathShapeOf(first);
        span.updateName(shape.name);
        span.setAttribute(ATTR_URL_FULL, shape.url);
      }
      if (last !== undefined) {
        if (last.status !== 0) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, last.status);
        if (this.#options.fingerprintAttribute && last.fingerprint !== undefined)
          span.setAttribute(ATTR_KEY_FINGERPRINT, last.fingerprint);
      }
      if (call.exchanges > 1) span.setAttribute(ATTR_HTTP_REQUEST_RESEND_COUNT, call.exchanges - 1);
      if (trace !== undefined && "error" in trace) {
        span.setAttribute(ATTR_ERROR_TYPE, callErrorType(trace.error));
        span.setStatus({ code: SpanStatusCode.ERROR });
      } else if (trace === undefined && last !== undefined) {
        // Cut short: the last exchange's outcome is all there is.
        const error = errorType(last.status, last.errorCode);
        if (error !== undefined) span.setAttribute(ATTR_ERROR_TYPE, error);
      }
    }
    span.end();
  }

  /**
   * The span's name and attributes at start. The name is the method alone until the call ends: the caller's path
   * may hold a key the app put there, which only an exchange's path has redacted, so the name and `url.full` come
   * from the first exchange's. The SDK copies the attributes it is given, so calls like the one before (most are)
   * share one object, built once.
   */
  #startShapeOf(trace: CallTrace): StartShape {
    const { origin, method } = trace;
    const tenant = this.#options.tenantAttribute === undefined ? undefined : trace.tenant;
    const cached = this.#lastStart;
    if (
      cached !== undefined &&
      cached.method === method &&
      cached.origin === origin &&
      cached.tenant === tenant
    )
      return cached;
    const server = this.#servers.of(origin);
    const verb = methodAttribute(method);
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: verb,
      [ATTR_SERVER_ADDRESS]: server.address,
      [ATTR_SERVER_PORT]: server.port,
    };
    if (verb === "_OTHER") attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = method;
    if (tenant !== undefined) attributes[this.#options.tenantAttribute as string] = tenant;
    const shape = { origin, method, tenant, name: verb === "_OTHER" ? "HTTP" : verb, attributes };
    this.#lastStart = shape;
    return shape;
  }

  /** The span's name (`GET /v2/bookings/{id}`) and `url.full` from its first exchange's path, redacted by core. */
  #pathShapeOf(event: RequestEvent): PathShape {
    const { origin, path, method } = event;
    const cached = this.#lastPath;
    if (cached !== undefined && cached.path === path && cached.method === method && cached.origin === origin)
      return cached;
    const verb = methodAttribute(method);
    const prefix = verb === "_OTHER" ? "HTTP" : verb;
    const template = urlTemplate(path, this.#options.basePath);
    const shape = {
      origin,
      method,
      path,
      name: template === undefined ? prefix : `${prefix} ${template}`,
      url: origin + path,
    };
    this.#lastPath = shape;
    return shape;
  }
}
