import diagnostics from "node:diagnostics_channel";
import type { OnceKeyEvent, OnceKeyEventListener } from "./once-key-event.js";

const channels = new Map<string, diagnostics.Channel>();

/**
 * The `node:diagnostics_channel` channel of an event type: `oncekey:` and the type.
 *
 * @param type - An event's `type`, e.g. `key:rotated`.
 * @example
 * ```ts
 * diagnostics_channel.subscribe(eventChannelName("key:rotated"), (event) => console.log(event));
 * ```
 */
export function eventChannelName(type: OnceKeyEvent["type"]): string {
  return `oncekey:${type}`;
}

function channelOf(type: OnceKeyEvent["type"]): diagnostics.Channel {
  let channel = channels.get(type);
  if (channel === undefined) {
    channel = diagnostics.channel(eventChannelName(type));
    channels.set(type, channel);
  }
  return channel;
}

/**
 * Publishes `event` on its diagnostics channel and hands it to `listener`. A listener that throws is ignored: an
 * observer must never break a request.
 *
 * @param event - The event; it must hold no key (name a key by its fingerprint).
 * @param listener - The emitting component's `onEvent`, if it has one.
 * @example
 * ```ts
 * const source = `file:${path}`;
 * emitEvent({ type: "key:warning", time: Date.now(), source, code: "FILE_PERMISSIONS", message }, options.onEvent);
 * ```
 */
export function emitEvent(event: OnceKeyEvent, listener: OnceKeyEventListener | undefined): void {
  const channel = channelOf(event.type);
  if (channel.hasSubscribers) channel.publish(event);
  notifyListener(event, listener);
}

/**
 * Hands `event` to `listener` only, without publishing it: for an event that another component already
 * published on its channel.
 */
export function notifyListener(event: OnceKeyEvent, listener: OnceKeyEventListener | undefined): void {
  if (listener !== undefined) {
    try {
      listener(event);
    } catch {
      // An observer must never break a request.
    }
  }
}

/**
 * Tells whether anyone would receive an event of `type`, so a hot path can skip building it.
 *
 * @param type - The event's `type`.
 * @param listener - The emitting component's `onEvent`, if it has one.
 * @example
 * ```ts
 * if (isObserved("paced", options.onEvent)) {
 *   emitEvent({ type: "paced", time: Date.now(), fingerprint: key.fingerprint, waitMs }, options.onEvent);
 * }
 * ```
 */
export function isObserved(type: OnceKeyEvent["type"], listener: OnceKeyEventListener | undefined): boolean {
  return listener !== undefined || channelOf(type).hasSubscribers;
}
