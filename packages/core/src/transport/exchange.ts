import type { IncomingHttpHeaders } from "node:http";
import { performance } from "node:perf_hooks";
import type { Dispatcher } from "undici";
import { MAX_TIMER_MS } from "../options/number-option.js";

/** The most response bytes kept in memory; OnceHub's largest page (100 bookings) is far below it. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The `code` of the error an exchange is aborted with when the answer exceeds {@link MAX_RESPONSE_BYTES}. */
export const RESPONSE_TOO_LARGE = "ONCEKEY_RESPONSE_TOO_LARGE";

/**
 * The most response bytes all exchanges of the process hold at once. Each answer may take up to
 * {@link MAX_RESPONSE_BYTES}, but 64 connections each filling that would hold a gigabyte.
 */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** The `code` of the error an exchange is aborted with when the answers in flight together exceed {@link MAX_BUFFERED_BYTES}. */
export const BUFFERS_FULL = "ONCEKEY_BUFFERS_FULL";

/** The `code` of the error an exchange is aborted with when its call's deadline (`timeouts.totalMs`) passed. */
export const DEADLINE_PASSED = "ONCEKEY_DEADLINE";

/** Response bytes held by the exchanges in flight, process-wide. */
let bufferedBytes = 0;

/** Ends an exchange whose call's deadline passed; a function of its own, so no closure is made per exchange. */
function expireExchange(exchange: Exchange): void {
  exchange.expire();
}

const NO_HEADERS: IncomingHttpHeaders = Object.freeze({});

/**
 * One HTTP exchange on an undici dispatcher, as a dispatch handler that buffers the body and settles a promise
 * with itself: no stream, no closure per chunk, one allocation for the common one-chunk body.
 *
 * The promise always resolves; a failure is in `error`. `started` tells whether undici had handed the request to
 * a connected socket when it failed: before that, the request certainly never reached the server.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  status = 0;
  headers: IncomingHttpHeaders = NO_HEADERS;
  /** The body; `undefined` when empty. */
  body: Buffer | undefined = undefined;
  error: Error | undefined = undefined;
  /** The request was written (or about to be) on a connected socket. */
  started = false;
  /** Called once, when the request is handed to a connected socket. */
  onStart: (() => void) | undefined = undefined;
  /** When the call must end (`performance.now()` time); `Infinity` for none. */
  deadlineAt = Infinity;
  #chunks: Buffer[] | undefined = undefined;
  #size = 0;
  #controller: Dispatcher.DispatchController | undefined = undefined;
  #settled = false;
  #deadlineTimer: NodeJS.Timeout | undefined = undefined;
  readonly #resolve: (exchange: Exchange) => void;
  readonly #signal: AbortSignal | undefined;

  constructor(resolve: (exchange: Exchange) => void, signal: AbortSignal | undefined) {
    this.#resolve = resolve;
    this.#signal = signal;
    if (signal !== undefined) signal.addEventListener("abort", this, { once: true });
  }

  /** The signal's `abort` event: abort the exchange on the wire, or settle at once if it has not started. */
  handleEvent(): void {
    this.#abort((this.#signal as AbortSignal).reason as Error);
  }

  /** Follows the deadline from now on; call it once the exchange is dispatched. */
  watchDeadline(deadlineAt: number): void {
    if (deadlineAt === Infinity || this.#settled) return;
    this.deadlineAt = deadlineAt;
    // A timer per exchange, cleared when it settles. (One process-wide set of exchanges checked by an interval
    // kept every exchange reachable from a long-lived table: a quarter of each response's garbage outlived the
    // young generation, and the old one's collections cost a fifth more CPU per request.) Whole milliseconds, so
    // the calls of one client share Node's few timer lists.
    const delay = Math.min(Math.max(0, Math.ceil(deadlineAt - performance.now())), MAX_TIMER_MS);
    this.#deadlineTimer = setTimeout(expireExchange, delay, this).unref();
  }

  /** The call's deadline passed: end the exchange, on the wire too. */
  expire(): void {
    const error = new Error("The call's deadline passed.");
    this.#abort(Object.assign(error, { code: DEADLINE_PASSED }));
  }

  #abort(reason: Error): void {
    if (this.#controller !== undefined) this.#controller.abort(reason);
    else this.#fail(reason);
  }

  /** A response header's (first) value. */
  header(name: string): string | undefined {
    const value = this.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#settled) {
      // Aborted while it waited for a connection: it goes no further, and the caller already moved on.
      controller.abort(this.error ?? new Error("aborted"));
      return;
    }
    this.started = true;
    const onStart = this.onStart;
    if (onStart !== undefined) {
      this.onStart = undefined;
      onStart();
    }
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.status = status;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#size += chunk.length;
    bufferedBytes += chunk.length;
    if (this.#size > MAX_RESPONSE_BYTES) {
      const error = new RangeError(`The response exceeds ${MAX_RESPONSE_BYTES} bytes.`);
      controller.abort(Object.assign(error, { code: RESPONSE_TOO_LARGE }));
      return;
    }
    if (bufferedBytes > MAX_BUFFERED_BYTES) {
      const error = new RangeError(`The responses in flight exceed ${MAX_BUFFERED_BYTES} bytes together.`);
      controller.abort(Object.assign(error, { code: BUFFERS_FULL }));
      return;
    }
    if (this.body === undefined) this.body = chunk;
    else if (this.#chunks === undefined) this.#chunks = [this.body, chunk];
    else this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.#chunks !== undefined) this.body = Buffer.concat(this.#chunks, this.#size);
    this.#chunks = undefined;
    this.#settle();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.#fail(error);
  }

  #fail(error: Error): void {
    if (this.#settled) return;
    this.error = error;
    this.body = undefined;
    this.#chunks = undefined;
    this.#settle();
  }

  #settle(): void {
    if (this.#settled) return;
    this.#settled = true;
    // The body now belongs to the caller, who parses it at once.
    bufferedBytes -= this.#size;
    if (this.#deadlineTimer !== undefined) clearTimeout(this.#deadlineTimer);
    this.#signal?.removeEventListener("abort", this);
    this.#resolve(this);
  }
}

/** What {@link exchange} sends. */
export interface ExchangeRequest {
  readonly method: string;
  /** Path and query, e.g. `/v2/bookings?limit=100`. */
  readonly path: string;
  readonly headers: string[];
  readonly body: string | undefined;
  readonly headersTimeout: number;
  readonly bodyTimeout: number;
}

/**
 * Sends one request on `dispatcher` and resolves with the finished {@link Exchange} (never rejects).
 *
 * @param dispatcher - The shared pool.
 * @param request - What to send.
 * @param signal - Aborts the exchange, also on the wire.
 * @param onStart - Called when the request is handed to a connected socket.
 * @param deadlineAt - When the call must end (`performance.now()` time); the exchange is aborted then.
 */
export function exchange(
  dispatcher: Dispatcher,
  request: ExchangeRequest,
  signal: AbortSignal | undefined,
  onStart?: () => void,
  deadlineAt = Infinity,
): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    const handler = new Exchange(resolve, signal);
    handler.onStart = onStart;
    if (signal?.aborted === true) {
      handler.handleEvent();
      return;
    }
    handler.watchDeadline(deadlineAt);
    dispatcher.dispatch(
      {
        method: request.method as Dispatcher.HttpMethod,
        path: request.path,
        headers: request.headers,
        body: request.body ?? null,
        headersTimeout: request.headersTimeout,
        bodyTimeout: request.bodyTimeout,
      },
      handler,
    );
  });
}
