import { emitEvent, isObserved } from "./emit-event.js";
import type { OnceKeyEvent, OnceKeyEventListener } from "./once-key-event.js";

/**
 * Where a provider's events go: its `diagnostics_channel` channel, the provider's own `onEvent` option, and every
 * listener that subscribed through the provider's `subscribe` (a client's `onEvent`). A listener that throws is
 * ignored: an observer must never break a key read.
 *
 * @example
 * ```ts
 * const events = new EventHub(options.onEvent);
 * const provider: KeyProvider = {
 *   name: "my-store",
 *   getKey: async () => { … events.emit({ type: "key:warning", … }); … },
 *   subscribe: (listener) => events.subscribe(listener),
 * };
 * ```
 */
export class EventHub {
  readonly #onEvent: OnceKeyEventListener | undefined;
  readonly #listeners = new Set<OnceKeyEventListener>();

  /** @param onEvent - The provider's own listener, from its options. */
  constructor(onEvent: OnceKeyEventListener | undefined) {
    this.#onEvent = onEvent;
  }

  /** Publishes `event` on its channel and hands it to the provider's listener and every subscriber. */
  emit(event: OnceKeyEvent): void {
    emitEvent(event, this.#onEvent);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // An observer must never break a key read.
      }
    }
  }

  /** Whether anyone would receive an event of `type`, so a hot path can skip building it. */
  isObserved(type: OnceKeyEvent["type"]): boolean {
    return this.#listeners.size > 0 || isObserved(type, this.#onEvent);
  }

  /** Hands every later event to `listener` until the returned function is called. */
  subscribe(listener: OnceKeyEventListener): () => void {
    // Each subscription is its own entry: two clients that share a listener function end theirs apart.
    const subscription: OnceKeyEventListener = (event) => listener(event);
    this.#listeners.add(subscription);
    return () => void this.#listeners.delete(subscription);
  }
}
