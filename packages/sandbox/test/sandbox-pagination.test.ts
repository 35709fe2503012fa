import { describe, expect, it } from "@jest/globals";
import type { Agent } from "undici";
import { startSandbox, type Sandbox } from "../src/index.js";
import { call, trustingAgent, useSandbox } from "./sandbox-helpers.js";

interface Page {
  object: string;
  data: { id: string; object: string; creation_time: string; status: string }[];
  has_more: boolean;
}

/** The URLs in a `Link` header, by relation. */
function links(header: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of String(header ?? "").split(", ")) {
    const match = /^<([^>]+)>; rel="([a-z]+)"$/.exec(part);
    if (match?.[1] !== undefined && match[2] !== undefined) out[match[2]] = match[1];
  }
  return out;
}

describe("GET /v2/bookings", () => {
  let sandbox: Sandbox;
  let agent: Agent;
  useSandbox((started) => ({ sandbox, agent } = started));

  const get = (url: string) => call(agent, url, { key: sandbox.key });

  describe("without parameters", () => {
    it("returns the first 10 bookings, newest first, in OnceHub's list envelope", async () => {
      const reply = await get(`${sandbox.baseUrl}/bookings`);
      const page = reply.body as Page;
      expect(reply.status).toBe(200);
      expect(page.object).toBe("list");
      expect(page.has_more).toBe(true);
      expect(page.data).toHaveLength(10);
      const times = page.data.map((booking) => booking.creation_time);
      expect([...times].sort().reverse()).toEqual(times);
      expect(page.data[0]).toMatchObject({
        object: "booking",
        id: expect.stringMatching(/^BKNG-[0-9A-Z]{12}$/),
      });
      expect(links(reply.headers["link"])).toEqual({
        next: `${sandbox.baseUrl}/bookings?after=${page.data[9]?.id}&limit=10`,
      });
    });
  });

  describe("when walking with the Link header", () => {
    it("visits every seeded booking exactly once forwards (rel=next) and backwards (rel=previous)", async () => {
      const forward: string[] = [];
      let url: string | undefined = `${sandbox.baseUrl}/bookings?limit=7`;
      let last: Record<string, string> = {};
      for (let pages = 0; url !== undefined && pages < 20; pages++) {
        const reply = await get(url);
        const page = reply.body as Page;
        forward.push(...page.data.map((booking) => booking.id));
        last = links(reply.headers["link"]);
        expect(page.has_more).toBe(last["next"] !== undefined);
        url = last["next"];
      }
      expect(forward).toHaveLength(37);
      expect(new Set(forward).size).toBe(37);

      const backward: string[] = [];
      url = last["previous"];
      const lastPage = forward.slice(35);
      for (let pages = 0; url !== undefined && pages < 20; pages++) {
        const reply = await get(url);
        const page = reply.body as Page;
        backward.unshift(...page.data.map((booking) => booking.id));
        const rel = links(reply.headers["link"]);
        expect(page.has_more).toBe(rel["previous"] !== undefined);
        url = rel["previous"];
      }
      expect([...backward, ...lastPage]).toEqual(forward);
    });

    it("keeps the other query parameters in the links", async () => {
      const reply = await get(`${sandbox.baseUrl}/bookings?status=scheduled&limit=2`);
      const page = reply.body as Page;
      expect(page.data.every((booking) => booking.status === "scheduled")).toBe(true);
      expect(links(reply.headers["link"])["next"]).toBe(
        `${sandbox.baseUrl}/bookings?after=${page.data[1]?.id}&limit=2&status=scheduled`,
      );
    });

    it("leaves the Link header out when everything fits one page", async () => {
      const reply = await get(`${sandbox.baseUrl}/bookings?limit=100`);
      expect((reply.body as Page).data).toHaveLength(37);
      expect((reply.body as Page).has_more).toBe(false);
      expect(reply.headers["link"]).toBeUndefined();
    });
  });

  describe("when the parameters are wrong", () => {
    it.each(["0", "101", "500", "abc", "1.5", "-1"])(
      "answers 400 with param limit for limit=%s",
      async (limit) => {
        const reply = await get(`${sandbox.baseUrl}/bookings?limit=${limit}`);
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({
          type: "invalid_request_error",
          message: `Out of range value: ${limit}. Please provide a number between 1 and 100.`,
          param: "limit",
        });
      },
    );

    it("answers 400 for both before and after", async () => {
      const reply = await get(`${sandbox.baseUrl}/bookings?before=a&after=b`);
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        type: "invalid_request_error",
        message: "Received both before and after parameters. Please provide only one.",
      });
    });

    it("answers 400 for a cursor that names no booking", async () => {
      const reply = await get(`${sandbox.baseUrl}/bookings?after=BKNG-NOPE`);
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ type: "invalid_request_error", param: "after" });
    });
  });

  describe("GET /v2/bookings/{id}", () => {
    it("returns the booking", async () => {
      const first = ((await get(`${sandbox.baseUrl}/bookings?limit=1`)).body as Page).data[0];
      const reply = await get(`${sandbox.baseUrl}/bookings/${first?.id}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(first);
    });

    it("answers OnceHub's 404 for an unknown id", async () => {
      const reply = await get(`${sandbox.baseUrl}/bookings/123`);
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({
        type: "invalid_request_error",
        message: "No such booking: '123'",
        param: "id",
      });
    });

    it("does not show one account's bookings to another", async () => {
      const other = sandbox.accounts.create();
      const mine = ((await get(`${sandbox.baseUrl}/bookings?limit=1`)).body as Page).data[0];
      const reply = await call(agent, `${sandbox.baseUrl}/bookings/${mine?.id}`, { key: other.key });
      expect(reply.status).toBe(404);
    });
  });

  describe("with the bookings option", () => {
    it("seeds that many bookings", async () => {
      const small = await startSandbox({ bookings: 3, rateLimit: false });
      const smallAgent = trustingAgent(small);
      try {
        const reply = await call(smallAgent, `${small.baseUrl}/bookings`, { key: small.key });
        expect((reply.body as Page).data).toHaveLength(3);
        expect((reply.body as Page).has_more).toBe(false);
      } finally {
        await smallAgent.close();
        await small.close();
      }
    });
  });
});
