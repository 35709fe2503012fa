import type { WebhookEvent } from "@oncekey/core";

/**
 * What the module learnt about a request, keyed by the framework's request object: the tenant its client was
 * made for (so the exception filter tells an unknown tenant, 404, from a missing key of the server's own, 500),
 * and the event the webhook guard verified. Weak: a finished request leaves nothing behind.
 */
export const requestTenants: WeakMap<object, string> = new WeakMap();
export const requestEvents: WeakMap<object, WebhookEvent> = new WeakMap();
