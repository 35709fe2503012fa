import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Agent } from "undici";
import { startSandbox, type Sandbox } from "../src/index.js";
import { call, trustingAgent, type Reply } from "./sandbox-helpers.js";

/**
 * One kind of response the sandbox produces: the project's schema it promises, and where in OnceHub's document
 * its schema is.
 */
export interface ResponseKind {
  /** What the test calls it in its report. */
  readonly name: string;
  /** The project's schema for it: a file under `test/schemas/`, with an optional `#/$defs/…` fragment. */
  readonly schema: string;
  /** The status the sandbox must answer with. */
  readonly status: number;
  /** The operation in OnceHub's document whose response it is, when the document lists that status for it. */
  readonly operation?: readonly [path: string, method: string];
  /** The document's schema to use when the operation does not list the status (a shared component). */
  readonly fallback?: string;
  /** Against the document, also reject top-level properties its schema does not name. */
  readonly closed: boolean;
  readonly fetch: () => Promise<Reply>;
}

/** What the kinds are fetched with: the sandbox, a trusting agent, and a receiver for webhook deliveries. */
export interface ConformanceContext {
  readonly sandbox: Sandbox;
  readonly agent: Agent;
  readonly receiver: Server;
  /** The body of the first delivery the receiver got. */
  readonly received: Promise<string>;
}

/** Every response kind the sandbox serves, each with the requests that produce it. */
export function responseKinds({ sandbox, agent, receiver, received }: ConformanceContext): ResponseKind[] {
  const api = (p: string) => `${sandbox.baseUrl}${p}`;
  // Each account has its own rate-limit bucket; every kind below uses a fresh key unless it tests the limit.
  const fresh = () => sandbox.accounts.create().key;
  const key = fresh();
  const webhook = async (name: string, k = key) =>
    (
      await call(agent, api("/webhooks"), {
        method: "POST",
        key: k,
        body: { url: "https://example.com/h", name, events: ["booking.scheduled"] },
      })
    ).body as { id: string };

  return [
    {
      name: "test ok",
      schema: "test-response.schema.json",
      status: 200,
      operation: ["/test", "get"],
      closed: true,
      fetch: () => call(agent, api("/test"), { key: fresh() }),
    },
    {
      name: "401 missing key",
      schema: "error.schema.json#/$defs/authenticationError",
      status: 401,
      operation: ["/test", "get"],
      closed: true,
      fetch: () => call(agent, api("/test")),
    },
    {
      name: "401 invalid key",
      schema: "error.schema.json#/$defs/authenticationError",
      status: 401,
      operation: ["/test", "get"],
      closed: true,
      fetch: () => call(agent, api("/test"), { key: "nope" }),
    },
    {
      name: "403 plan without API access",
      schema: "error.schema.json#/$defs/authenticationError",
      status: 403,
      operation: ["/test", "get"],
      closed: true,
      fetch: () =>
        call(agent, api("/test"), { key: sandbox.accounts.create(undefined, { apiAccess: false }).key }),
    },
    {
      name: "429 rate limit",
      schema: "error.schema.json#/$defs/rateLimitError",
      status: 429,
      operation: ["/test", "get"],
      closed: true,
      fetch: async () => {
        const k = fresh();
        const replies = await Promise.all(
          Array.from({ length: 20 }, () => call(agent, api("/test"), { key: k })),
        );
        return replies.find((reply) => reply.status === 429) ?? replies[0]!;
      },
    },
    {
      name: "429 per-IP limit",
      schema: "error.schema.json#/$defs/rateLimitError",
      status: 429,
      operation: ["/test", "get"],
      closed: true,
      fetch: async () => {
        const limited = await startSandbox({ ipRateLimit: { requests: 1, windowMs: 60_000 } });
        const limitedAgent = trustingAgent(limited);
        try {
          await call(limitedAgent, `${limited.baseUrl}/test`, { key: limited.key });
          return await call(limitedAgent, `${limited.baseUrl}/test`, { key: limited.key });
        } finally {
          await limitedAgent.close();
          await limited.close();
        }
      },
    },
    {
      name: "booking list",
      schema: "booking-list.schema.json",
      status: 200,
      operation: ["/bookings", "get"],
      closed: true,
      fetch: () => call(agent, api("/bookings?limit=100"), { key: fresh() }),
    },
    {
      name: "booking list page (before)",
      schema: "booking-list.schema.json",
      status: 200,
      operation: ["/bookings", "get"],
      closed: true,
      fetch: async () => {
        const k = fresh();
        const page = (await call(agent, api("/bookings?limit=20"), { key: k })).body as {
          data: { id: string }[];
        };
        return call(agent, api(`/bookings?before=${page.data[15]?.id}&limit=5`), { key: k });
      },
    },
    {
      name: "booking",
      schema: "booking.schema.json",
      status: 200,
      operation: ["/bookings/{id}", "get"],
      closed: true,
      fetch: async () => {
        const k = fresh();
        const page = (await call(agent, api("/bookings?limit=1"), { key: k })).body as {
          data: { id: string }[];
        };
        return call(agent, api(`/bookings/${page.data[0]?.id}`), { key: k });
      },
    },
    {
      name: "404 booking",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 404,
      operation: ["/bookings/{id}", "get"],
      closed: true,
      fetch: () => call(agent, api("/bookings/123"), { key: fresh() }),
    },
    {
      name: "400 limit",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 400,
      operation: ["/bookings", "get"],
      closed: true,
      fetch: () => call(agent, api("/bookings?limit=500"), { key: fresh() }),
    },
    {
      name: "400 before and after",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 400,
      operation: ["/bookings", "get"],
      closed: true,
      fetch: () => call(agent, api("/bookings?before=a&after=b"), { key: fresh() }),
    },
    {
      name: "400 unknown cursor",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 400,
      operation: ["/bookings", "get"],
      closed: true,
      fetch: () => call(agent, api("/bookings?after=BKNG-NONE"), { key: fresh() }),
    },
    {
      name: "400 webhooks limit",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 400,
      operation: ["/webhooks", "get"],
      closed: true,
      fetch: () => call(agent, api("/webhooks?limit=0"), { key: fresh() }),
    },
    {
      name: "webhook create",
      schema: "webhook.schema.json",
      status: 200,
      operation: ["/webhooks", "post"],
      closed: true,
      fetch: () =>
        call(agent, api("/webhooks"), {
          method: "POST",
          key: fresh(),
          body: { url: "https://example.com/h", name: "Conformance", events: ["booking.canceled"] },
        }),
    },
    {
      name: "409 webhook name",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 409,
      operation: ["/webhooks", "post"],
      closed: true,
      fetch: async () => {
        const k = fresh();
        await webhook("Taken", k);
        return call(agent, api("/webhooks"), {
          method: "POST",
          key: k,
          body: { url: "https://example.com/h", name: "Taken", events: ["booking.scheduled"] },
        });
      },
    },
    {
      name: "400 webhook bad url",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 400,
      fallback: "#/components/responses/BadRequest/content/application~1json/schema",
      closed: true,
      fetch: () =>
        call(agent, api("/webhooks"), {
          method: "POST",
          key: fresh(),
          body: { url: "http://example.com", name: "x", events: ["booking.scheduled"] },
        }),
    },
    {
      name: "400 webhook body not JSON",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 400,
      fallback: "#/components/responses/BadRequest/content/application~1json/schema",
      closed: true,
      fetch: () => call(agent, api("/webhooks"), { method: "POST", key: fresh(), body: "{" }),
    },
    {
      name: "webhook list",
      schema: "webhook-list.schema.json",
      status: 200,
      operation: ["/webhooks", "get"],
      closed: true,
      fetch: async () => {
        const k = fresh();
        await webhook("One", k);
        await webhook("Two", k);
        return call(agent, api("/webhooks"), { key: k });
      },
    },
    {
      name: "webhook get",
      schema: "webhook.schema.json",
      status: 200,
      operation: ["/webhooks/{id}", "get"],
      closed: true,
      fetch: async () => {
        const k = fresh();
        return call(agent, api(`/webhooks/${(await webhook("Get", k)).id}`), { key: k });
      },
    },
    {
      // OnceHub documents deleted resources as `{ id, object, deleted: true }`, which the Webhook schema does not
      // name `deleted` in: checked against the schema, but not closed.
      name: "webhook get after delete (redacted)",
      schema: "redacted-webhook.schema.json",
      status: 200,
      operation: ["/webhooks/{id}", "get"],
      closed: false,
      fetch: async () => {
        const k = fresh();
        const { id } = await webhook("Redacted", k);
        await call(agent, api(`/webhooks/${id}`), { method: "DELETE", key: k });
        return call(agent, api(`/webhooks/${id}`), { key: k });
      },
    },
    {
      name: "404 webhook",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 404,
      operation: ["/webhooks/{id}", "get"],
      closed: true,
      fetch: () => call(agent, api("/webhooks/123"), { key: fresh() }),
    },
    {
      name: "webhook delete",
      schema: "deleted-webhook.schema.json",
      status: 200,
      operation: ["/webhooks/{id}", "delete"],
      closed: true,
      fetch: async () => {
        const k = fresh();
        return call(agent, api(`/webhooks/${(await webhook("Delete", k)).id}`), {
          method: "DELETE",
          key: k,
        });
      },
    },
    {
      name: "404 webhook delete",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 404,
      operation: ["/webhooks/{id}", "delete"],
      closed: true,
      fetch: () => call(agent, api("/webhooks/123"), { method: "DELETE", key: fresh() }),
    },
    {
      name: "413 body too large",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 413,
      fallback: "#/components/schemas/Error",
      closed: true,
      fetch: () =>
        call(agent, api("/webhooks"), {
          method: "POST",
          key: fresh(),
          body: { url: "https://example.com/h", name: "x".repeat(70_000), events: ["booking.scheduled"] },
        }),
    },
    {
      name: "404 unrecognized URL",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 404,
      fallback: "#/components/responses/NotFound/content/application~1json/schema",
      closed: true,
      fetch: () => call(agent, api("/nothing"), { key: fresh() }),
    },
    {
      name: "5xx (fault)",
      schema: "error.schema.json#/$defs/apiError",
      status: 503,
      fallback: "#/components/schemas/Error",
      closed: true,
      fetch: () => {
        sandbox.faults.inject({ kind: "status", status: 503 });
        return call(agent, api("/test"), { key: fresh() });
      },
    },
    {
      name: "429 (fault)",
      schema: "error.schema.json#/$defs/rateLimitError",
      status: 429,
      operation: ["/bookings", "get"],
      closed: true,
      fetch: () => {
        sandbox.faults.inject({ kind: "status", status: 429, retryAfter: 1 });
        return call(agent, api("/bookings"), { key: fresh() });
      },
    },
    {
      name: "400 plain HTTP",
      schema: "error.schema.json#/$defs/invalidRequestError",
      status: 400,
      fallback: "#/components/schemas/Error",
      closed: true,
      fetch: () => call(agent, `${sandbox.plainUrl}/v2/test`, { key: fresh() }),
    },
    {
      name: "webhook event delivery",
      schema: "webhook-event.schema.json",
      status: 200,
      fallback: `#/webhooks/booking.scheduled/post/requestBody/content/application~1json/schema`,
      closed: true,
      fetch: async () => {
        const { port } = receiver.address() as AddressInfo;
        await sandbox.sendWebhook(`http://127.0.0.1:${port}/hook`, "booking.scheduled", "secret");
        const text = await received;
        return { status: 200, headers: {}, body: JSON.parse(text) as unknown, text };
      },
    },
  ];
}
