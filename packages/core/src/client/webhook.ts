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
  readonly object: "webhook";
  /** e.g. `WHK-7JD9LBVZTQ`. */
  readonly id: string;
  readonly api_version?: string;
  /** Unique per account. */
  readonly name: string;
  /** Where OnceHub POSTs the events; `https:` only. */
  readonly url: string;
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
  readonly id: string;
  readonly deleted: true;
  readonly object?: string;
}
