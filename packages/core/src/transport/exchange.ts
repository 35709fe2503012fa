import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";

/** The most response bytes kept in memory; OnceHub's largest page (100 bookings) is far below it. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The `code` of the error an exchange is aborted with when the answer exceeds {@link MAX_RESPONSE_BYTES}. */
export const RESPONSE_TOO_LARGE = "ONCEKEY_RESPONSE_TOO_LARGE";

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
  #chunks: Buffer[] | undefined = undefined;
  #size = 0;
  #controller: Dispatcher.DispatchController | undefined = undefined;
  #settled = false;
  readonly #resolve: (exchange: Exchange) => void;
  readonly #signal: AbortSignal | undefined;

  constructor(resolve: (exchange: Exchange) => void, signal: AbortSignal | undefined) {
    this.#resolve = resolve;
    this.#signal = signal;
    if (signal !== undefined) signal.addEventListener("abort", this, { once: true });
  }

  /** The signal's `abort` event: abort the exchange on the wire, or settle at once if it has not started. */
  handleEvent(): void {
    const reason = (this.#signal as AbortSignal).reason as Error;
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
    if (this.#size > MAX_RESPONSE_BYTES) {
      const error = new RangeError(`The response exceeds ${MAX_RESPONSE_BYTES} bytes.`);
      controller.abort(Object.assign(error, { code: RESPONSE_TOO_LARGE }));
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
 */
export function exchange(
  dispatcher: Dispatcher,
  request: ExchangeRequest,
  signal: AbortSignal | undefined,
  onStart?: () => void,
): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    const handler = new Exchange(resolve, signal);
    handler.onStart = onStart;
    if (signal?.aborted === true) {
      handler.handleEvent();
      return;
    }
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
