import { randomBytes } from "node:crypto";
import type { AccountRecord, WebhookRecord } from "../state/account-store.js";
import { randomId } from "../state/ids.js";
import type { ApiRequest, ApiResult } from "./api-result.js";
import { apiError, noSuch } from "./oncehub-errors.js";
import { paginate } from "./paginate.js";
import { WEBHOOK_EVENT_TYPES } from "./webhook-events.js";

const invalid = (message: string, param?: string): ApiResult =>
  apiError(400, "invalid_request_error", message, param);

/** `GET /v2/webhooks`: the account's subscriptions, newest first. */
export function listWebhooks(account: AccountRecord, request: ApiRequest): ApiResult {
  return paginate([...account.webhooks.values()].reverse(), request, "webhook");
}

/** `GET /v2/webhooks/{id}`: a subscription; a deleted one comes back redacted, as OnceHub documents. */
export function getWebhook(account: AccountRecord, id: string): ApiResult {
  const webhook = account.webhooks.get(id);
  if (webhook !== undefined) return { status: 200, body: webhook };
  if (account.deletedWebhooks.has(id)) return { status: 200, body: { id, object: "webhook", deleted: true } };
  return noSuch("webhook", id);
}

/** `DELETE /v2/webhooks/{id}`: `{ id, deleted: true }`, or 404 (also for one already deleted). */
export function deleteWebhook(account: AccountRecord, id: string): ApiResult {
  if (!account.webhooks.delete(id)) return noSuch("webhook", id);
  account.deletedWebhooks.add(id);
  return { status: 200, body: { id, deleted: true } };
}

/**
 * `POST /v2/webhooks` with `{ url, name, events }`: 200 and the subscription with its signing `secret`;
 * 400 for a missing or invalid field (URLs must be absolute `https://`), 409 for a name the account already uses.
 */
export async function createWebhook(account: AccountRecord, request: ApiRequest): Promise<ApiResult> {
  let input: unknown;
  try {
    input = JSON.parse(await request.readBody());
  } catch (error) {
    if (error instanceof SyntaxError) return invalid("Invalid JSON in the request body.");
    throw error;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return invalid("The request body must be a JSON object with url, name and events.");
  }
  const { url, name, events } = input as Record<string, unknown>;

  if (url === undefined || url === null || url === "") return invalid("Missing required param: url.", "url");
  if (typeof url !== "string" || !isHttpsUrl(url)) {
    return invalid(
      `Invalid URL: ${JSON.stringify(url)}. Please provide a full URL that starts with https://.`,
      "url",
    );
  }
  if (name === undefined || name === null || name === "")
    return invalid("Missing required param: name.", "name");
  if (typeof name !== "string" || !/[A-Za-z0-9]/.test(name)) {
    return invalid("Invalid name: it must contain at least one letter or digit.", "name");
  }
  if (!Array.isArray(events) || events.length === 0) {
    return invalid("Missing required param: events. Provide at least one event type.", "events");
  }
  const unknown = events.find((event) => typeof event !== "string" || !WEBHOOK_EVENT_TYPES.includes(event));
  if (unknown !== undefined) return invalid(`Invalid event type: ${JSON.stringify(unknown)}.`, "events");
  for (const existing of account.webhooks.values()) {
    if (existing.name === name) {
      return apiError(
        409,
        "invalid_request_error",
        `A webhook subscription with this name already exists: '${name}'`,
        "name",
      );
    }
  }

  const webhook: WebhookRecord = {
    object: "webhook",
    id: randomId("WHK", 10),
    api_version: "v2",
    name,
    url,
    events: [...(events as string[])],
    creation_time: new Date().toISOString(),
    secret: randomBytes(16).toString("hex"),
  };
  account.webhooks.set(webhook.id, webhook);
  return { status: 200, body: webhook };
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "";
  } catch {
    return false;
  }
}
