import type { Requester } from "./bookings-resource.js";
import type { CallOptions } from "./call-options.js";
import { type ListParams, type Page, PagedList, toPage } from "./list-page.js";
import { resourcePath } from "./resource-path.js";
import type { CreatedWebhook, DeletedObject, Webhook, WebhookCreateParams } from "./webhook.js";

/**
 * `client.webhooks`: OnceHub's webhook subscriptions. Subscriptions belong to the account, not to a key, so one
 * created with a key can be deleted with its successor.
 *
 * @example
 * ```ts
 * const webhook = await client.webhooks.create({
 *   name: "CRM sync",
 *   url: "https://crm.example.com/oncehub",
 *   events: ["booking.scheduled", "booking.canceled"],
 * });
 * await client.webhooks.delete(webhook.id);
 * ```
 * @inline
 */
export interface WebhooksResource {
  /** Every subscription, as an async iterable over the pages; `.pages()` walks the pages. */
  list(params?: Omit<ListParams, "before">, options?: CallOptions): PagedList<Webhook>;
  /** One page of subscriptions. */
  page(params?: ListParams, options?: CallOptions): Promise<Page<Webhook>>;
  /** One subscription; a deleted one comes back as `{ id, object, deleted: true }`. */
  get(id: string, options?: CallOptions): Promise<Webhook>;
  /**
   * Creates a subscription and returns it with its signing `secret`. A name already used is an
   * `InvalidRequestError` (409, `param: "name"`). A POST is never sent twice once it may have reached OnceHub.
   */
  create(input: WebhookCreateParams, options?: CallOptions): Promise<CreatedWebhook>;
  /** Deletes a subscription: `{ id, deleted: true }`. */
  delete(id: string, options?: CallOptions): Promise<DeletedObject>;
}

/** Builds `client.webhooks` on the client's `request`. */
export function webhooksResource(request: Requester): WebhooksResource {
  const page = async (params: ListParams = {}, options: CallOptions = {}): Promise<Page<Webhook>> =>
    toPage<Webhook>(await request("GET", "/webhooks", { ...options, query: { ...params } }), params);
  return {
    list: (params = {}, options = {}) =>
      new PagedList<Webhook>((next: ListParams) => page(next, options), { limit: 100, ...params }),
    page,
    get: async (id, options = {}) => request<Webhook>("GET", resourcePath("/webhooks", id), options),
    create: async (input, options = {}) => {
      if (typeof input !== "object" || input === null || !Array.isArray(input.events)) {
        throw new TypeError(
          'A webhook to create needs { name, url, events }, e.g. { name: "CRM", url: "https://…", events: ["booking.scheduled"] }.',
        );
      }
      return request<CreatedWebhook>("POST", "/webhooks", {
        ...options,
        body: { name: input.name, url: input.url, events: [...input.events] },
      });
    },
    delete: async (id, options = {}) =>
      request<DeletedObject>("DELETE", resourcePath("/webhooks", id), options),
  };
}
