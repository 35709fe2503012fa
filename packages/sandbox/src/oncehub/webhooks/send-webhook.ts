import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { seedBookings } from "../api/seed-bookings.js";
import { randomId } from "../state/ids.js";
import { optionsObject } from "../../options/check-option-names.js";
import { createWebhookSignature } from "./create-webhook-signature.js";

/** The event to deliver: its `type`, and optionally the rest of the envelope. */
export interface WebhookEventInput {
  /** e.g. `booking.scheduled` */
  readonly type: string;
  /** @defaultValue a sample booking as webhook payloads carry it */
  readonly data?: unknown;
  /** @defaultValue a new `EVNT-…` id */
  readonly id?: string;
  /** @defaultValue now, ISO 8601 */
  readonly creation_time?: string;
}

/** The envelope OnceHub POSTs to a subscription's URL. */
export interface WebhookEvent {
  readonly id: string;
  readonly object: "event";
  readonly creation_time: string;
  readonly type: string;
  readonly api_version: "v2";
  readonly data: unknown;
}

/**
 * Options of {@link sendWebhook}; an unknown name is a `TypeError`.
 *
 * @example
 * ```ts
 * await sendWebhook(url, "booking.scheduled", secret, { timestamp: Math.floor(Date.now() / 1000) - 600 });
 * ```
 */
export interface SendWebhookOptions {
  /** Extra CA to trust for an `https:` receiver (e.g. a test server's self-signed certificate). */
  readonly ca?: string | Buffer;
  /** The signature's `t`, in unix seconds: set it in the past to test replay protection. @defaultValue now */
  readonly timestamp?: number;
  /** Sent as `Oncehub-Signature` instead of the correct value, to test rejection. */
  readonly signature?: string;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Gives up (rejects) after this long. @defaultValue 10000 */
  readonly timeoutMs?: number;
}

/** What the receiver answered, with what was sent. A non-2xx status resolves too: OnceHub counts it a failure. */
export interface WebhookDelivery {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly event: WebhookEvent;
  /** The exact bytes posted (what the signature covers). */
  readonly rawBody: string;
  /** The `Oncehub-Signature` header value sent. */
  readonly signature: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * POSTs a signed OnceHub event envelope to `url`, as OnceHub delivers webhooks, so a receiver can be tested end
 * to end: body `{ id: "EVNT-…", object: "event", creation_time, type, api_version: "v2", data }`, header
 * `Oncehub-Signature: t=<unix>,s=<hex HMAC-SHA256(secret, t + "." + body)>`.
 *
 * `https:` URLs are used as given (trust a test certificate with `ca`); plain `http:` is accepted only for
 * loopback receivers (`localhost`, `127.x.x.x`, `[::1]`), because OnceHub delivers over HTTPS only.
 *
 * @param url - the receiver
 * @param event - the event, or just its type
 * @param secret - the subscription's signing secret
 * @example
 * ```ts
 * const delivery = await sendWebhook(`http://127.0.0.1:${port}/hooks`, "booking.scheduled", webhook.secret);
 * expect(delivery.status).toBe(200);
 * ```
 */
export async function sendWebhook(
  url: string,
  event: string | WebhookEventInput,
  secret: string,
  given?: SendWebhookOptions,
): Promise<WebhookDelivery> {
  const options = optionsObject("sendWebhook", given, [
    "ca",
    "timestamp",
    "signature",
    "headers",
    "timeoutMs",
  ]);
  if (typeof event === "object" && event !== null)
    optionsObject("sendWebhook: event", event, ["type", "data", "id", "creation_time"]);
  const target = new URL(url);
  if (target.protocol !== "https:" && !(target.protocol === "http:" && LOOPBACK.test(target.hostname))) {
    throw new TypeError(
      `Webhook URLs must use https:// (plain http:// only to a loopback address), got ${target.origin}.`,
    );
  }
  const input = typeof event === "string" ? { type: event } : event;
  const envelope: WebhookEvent = {
    id: input.id ?? randomId("EVNT", 10),
    object: "event",
    creation_time: input.creation_time ?? new Date().toISOString(),
    type: input.type,
    api_version: "v2",
    data: input.data === undefined ? sampleBookingData() : input.data,
  };
  const rawBody = JSON.stringify(envelope);
  const signature = options.signature ?? createWebhookSignature(rawBody, secret, options.timestamp);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const timeoutMs = options.timeoutMs ?? 10_000;

  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: "POST",
        agent: false,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        headers: {
          ...options.headers,
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(rawBody),
          "Oncehub-Signature": signature,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.once("error", reject);
        res.once("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            event: envelope,
            rawBody,
            signature,
          }),
        );
      },
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`The webhook receiver did not answer within ${timeoutMs} ms.`)),
    );
    req.once("error", reject);
    req.end(rawBody);
  });
}

/** A booking as webhook payloads carry it: no `contact` nor `utm_params`, a `cancel_reschedule_url`. */
function sampleBookingData(): unknown {
  const [booking] = seedBookings(1, "webhook-sample");
  if (booking === undefined) return {};
  const { contact: _contact, utm_params: _utm, ...rest } = booking;
  return { ...rest, cancel_reschedule_url: `https://oncehub.com/m/${booking.id}` };
}
