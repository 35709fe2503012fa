import type { WebhookEventType } from "../webhook/webhook-event.js";

/**
 * An OnceHub webhook subscription (`object: "webhook"`). `secret` signs the deliveries: check them with
 * `verifyWebhookSignature`. Other fields OnceHub sends are kept as `unknown`.
 *
 * @example
 * ```ts
 * const webhook = await client.webhooks.create({ name: "CRM", url: "https://crm.example.com/hooks", events: ["booking.scheduled"] });
 * await secrets.save("oncehub-webhook-secret", webhook.secret);
 * ```
 */
export interface Webhook {
  /** The kind of object OnceHub sent: always `webhook`. */
  readonly object: "webhook";
  /** e.g. `WHK-7JD9LBVZTQ`. */
  readonly id: string;
  /** The API version of the subscription and of its deliveries, e.g. `v2`. */
  readonly api_version?: string;
  /** Unique per account. */
  readonly name: string;
  /** Where OnceHub POSTs the events; `https:` only. */
  readonly url: string;
  /** The events OnceHub delivers to it, e.g. `booking.scheduled`; one OnceHub adds later comes as its string. */
  readonly events: readonly (WebhookEventType | (string & Record<never, never>))[];
  /** ISO 8601, UTC. */
  readonly creation_time?: string;
  /** The signing secret. OnceHub may send it only when the subscription is created: store it then. */
  readonly secret?: string;
  readonly [field: string]: unknown;
}

/**
 * What `webhooks.create` returns: the subscription with its signing `secret`, which OnceHub always sends on
 * creation (and may not send again).
 *
 * @example
 * ```ts
 * const created: CreatedWebhook = await client.webhooks.create(input);
 * await secrets.save("oncehub-webhook-secret", created.secret);
 * ```
 */
export interface CreatedWebhook extends Webhook {
  /** The signing secret: store it now, to check deliveries with `verifyWebhookSignature`. */
  readonly secret: string;
}

/**
 * What `webhooks.create` sends.
 *
 * @example
 * ```ts
 * const input: WebhookCreateParams = { name: "CRM", url: "https://crm.example.com/hooks", events: ["booking.canceled"] };
 * ```
 */
export interface WebhookCreateParams {
  /** Unique per account, with at least one letter or digit. */
  readonly name: string;
  /** An absolute `https:` URL. */
  readonly url: string;
  /** The events to deliver, e.g. `["booking.scheduled", "booking.canceled"]`. */
  readonly events: readonly (WebhookEventType | (string & Record<never, never>))[];
}

/**
 * What OnceHub answers to a deletion.
 *
 * @example
 * ```ts
 * const { deleted } = await client.webhooks.delete(webhook.id);
 * ```
 */
export interface DeletedObject {
  /** The id of the object deleted, e.g. `WHK-7JD9LBVZTQ`. */
  readonly id: string;
  /** Always `true`: the object is gone. */
  readonly deleted: true;
  /** The kind of object deleted, e.g. `webhook`, when OnceHub says. */
  readonly object?: string;
}
