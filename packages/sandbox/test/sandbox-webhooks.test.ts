import { describe, expect, it } from "@jest/globals";
import type { Agent } from "undici";
import type { Sandbox } from "../src/index.js";
import { call, useSandbox } from "./sandbox-helpers.js";

interface Webhook {
  object: string;
  id: string;
  name: string;
  url: string;
  events: string[];
  secret: string;
  api_version: string;
  creation_time: string;
}

describe("/v2/webhooks", () => {
  let sandbox: Sandbox;
  let agent: Agent;
  useSandbox((started) => ({ sandbox, agent } = started));

  const create = (body: unknown, key = sandbox.key) =>
    call(agent, `${sandbox.baseUrl}/webhooks`, { method: "POST", key, body });

  describe("POST", () => {
    it("creates a subscription and answers 200 with its signing secret", async () => {
      const reply = await create({
        url: "https://example.com/hooks",
        name: "New Bookings",
        events: ["booking.scheduled"],
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        object: "webhook",
        id: expect.stringMatching(/^WHK-[0-9A-Z]{10}$/),
        api_version: "v2",
        name: "New Bookings",
        url: "https://example.com/hooks",
        events: ["booking.scheduled"],
        creation_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        secret: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
    });

    it("answers 409 for a name the account already uses", async () => {
      await create({ url: "https://example.com/a", name: "Twice", events: ["booking.canceled"] });
      const reply = await create({
        url: "https://example.com/b",
        name: "Twice",
        events: ["booking.canceled"],
      });
      expect(reply.status).toBe(409);
      expect(reply.body).toEqual({
        type: "invalid_request_error",
        message: "A webhook subscription with this name already exists: 'Twice'",
        param: "name",
      });
    });

    it("lets another account use the same name", async () => {
      const other = sandbox.accounts.create();
      await create({ url: "https://example.com/a", name: "Shared name", events: ["booking.canceled"] });
      const reply = await create(
        { url: "https://example.com/a", name: "Shared name", events: ["booking.canceled"] },
        other.key,
      );
      expect(reply.status).toBe(200);
    });

    it.each([
      ["an http URL", { url: "http://example.com/hooks", name: "a", events: ["booking.scheduled"] }, "url"],
      ["a relative URL", { url: "/hooks", name: "a", events: ["booking.scheduled"] }, "url"],
      ["no URL", { name: "a", events: ["booking.scheduled"] }, "url"],
      ["no name", { url: "https://example.com", events: ["booking.scheduled"] }, "name"],
      [
        "a name without letters or digits",
        { url: "https://example.com", name: "--", events: ["booking.scheduled"] },
        "name",
      ],
      ["no events", { url: "https://example.com", name: "a", events: [] }, "events"],
      ["an unknown event", { url: "https://example.com", name: "a", events: ["booking.exploded"] }, "events"],
    ])("answers 400 for %s", async (_what, body, param) => {
      const reply = await create(body);
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ type: "invalid_request_error", param });
    });

    it("answers 400 for a body that is not JSON", async () => {
      const reply = await create("{not json");
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ type: "invalid_request_error" });
    });
  });

  describe("GET and DELETE", () => {
    it("lists, gets and deletes a subscription", async () => {
      const created = (
        await create({ url: "https://example.com/x", name: "Lifecycle", events: ["booking.completed"] })
      ).body as Webhook;

      const list = await call(agent, `${sandbox.baseUrl}/webhooks?limit=100`, { key: sandbox.key });
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ object: "list", has_more: false });
      expect((list.body as { data: Webhook[] }).data[0]).toEqual(created);

      const got = await call(agent, `${sandbox.baseUrl}/webhooks/${created.id}`, { key: sandbox.key });
      expect(got.body).toEqual(created);

      const deleted = await call(agent, `${sandbox.baseUrl}/webhooks/${created.id}`, {
        method: "DELETE",
        key: sandbox.key,
      });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ id: created.id, deleted: true });

      const redacted = await call(agent, `${sandbox.baseUrl}/webhooks/${created.id}`, { key: sandbox.key });
      expect(redacted.body).toEqual({ id: created.id, object: "webhook", deleted: true });
      const again = await call(agent, `${sandbox.baseUrl}/webhooks/${created.id}`, {
        method: "DELETE",
        key: sandbox.key,
      });
      expect(again.status).toBe(404);
      const after = await call(agent, `${sandbox.baseUrl}/webhooks?limit=100`, { key: sandbox.key });
      expect((after.body as { data: Webhook[] }).data.map((w) => w.id)).not.toContain(created.id);
    });

    it("answers OnceHub's 404 for an unknown id", async () => {
      const reply = await call(agent, `${sandbox.baseUrl}/webhooks/123`, { key: sandbox.key });
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({
        type: "invalid_request_error",
        message: "No such webhook: '123'",
        param: "id",
      });
    });

    it("hides one account's subscriptions from another", async () => {
      const created = (
        await create({ url: "https://example.com/y", name: "Private", events: ["booking.completed"] })
      ).body as Webhook;
      const other = sandbox.accounts.create();
      const reply = await call(agent, `${sandbox.baseUrl}/webhooks/${created.id}`, { key: other.key });
      expect(reply.status).toBe(404);
    });
  });
});
