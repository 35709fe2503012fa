import { afterEach, describe, expect, it } from "@jest/globals";
import { request, type Agent } from "undici";
import { keyFingerprint, type Sandbox } from "../src/index.js";
import { call, useSandbox } from "./sandbox-helpers.js";

describe("sandbox.faults", () => {
  let sandbox: Sandbox;
  let agent: Agent;
  useSandbox((started) => ({ sandbox, agent } = started));
  afterEach(() => sandbox.faults.clear());

  const test = (key: string | null = sandbox.key, path = "/test") =>
    call(agent, `${sandbox.baseUrl}${path}`, { key });

  describe("a status fault", () => {
    it("answers the next N API requests with OnceHub's error body, then serves again", async () => {
      sandbox.faults.inject({ kind: "status", status: 503, times: 2 });
      const replies = [await test(), await test(), await test()];
      expect(replies.map((reply) => reply.status)).toEqual([503, 503, 200]);
      expect(replies[0]?.body).toEqual({
        type: "api_error",
        message: "An error occurred on OnceHub's side. Try again later.",
      });
      expect(replies[0]?.headers["request-id"]).toMatch(/^req_/);
      expect(sandbox.requests.last()?.fault).toBeNull();
      expect(
        sandbox.requests
          .all()
          .slice(-3)
          .map((entry) => entry.fault),
      ).toEqual(["status", "status", null]);
    });

    it("sends a 429 with Retry-After when asked", async () => {
      sandbox.faults.inject({ kind: "status", status: 429, retryAfter: 2 });
      const reply = await test();
      expect(reply.status).toBe(429);
      expect(reply.headers["retry-after"]).toBe("2");
      expect(reply.body).toEqual({ type: "rate_limit_error", message: "Request rate limit exceeded" });
    });

    it("comes before authentication, so it hits a request without a key", async () => {
      sandbox.faults.inject({ kind: "status", status: 500 });
      expect((await test(null)).status).toBe(500);
      expect((await test(null)).status).toBe(401);
    });

    it("applies only to the method and path it names", async () => {
      sandbox.faults.inject({ kind: "status", status: 502, method: "get", path: "/v2/bookings" });
      expect((await test()).status).toBe(200);
      expect((await test(sandbox.key, "/bookings")).status).toBe(502);
      sandbox.faults.inject({ kind: "status", status: 504, path: /^\/v2\/bookings\// });
      expect((await test(sandbox.key, "/bookings")).status).toBe(200);
      expect((await test(sandbox.key, "/bookings/123")).status).toBe(504);
    });

    it("never applies outside the API routes", async () => {
      sandbox.faults.inject({ kind: "status", status: 500 });
      expect((await call(agent, `${sandbox.url}/`, {})).status).toBe(404);
      expect(sandbox.faults.pending).toBe(1);
    });

    it("faults an even share of requests with fraction", async () => {
      sandbox.faults.inject({ kind: "status", status: 500, fraction: 0.25 });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await test()).status);
      expect(statuses).toEqual([200, 200, 200, 500, 200, 200, 200, 500]);
      expect(sandbox.faults.pending).toBe(Infinity);
    });

    it("can be withdrawn by its handle, and reports its hits", async () => {
      const fault = sandbox.faults.inject({ kind: "status", status: 500, times: 5 });
      await test();
      expect(fault.hits).toBe(1);
      expect(fault.remaining).toBe(4);
      fault.remove();
      expect((await test()).status).toBe(200);
      expect(sandbox.faults.pending).toBe(0);
    });
  });

  describe("a reset fault", () => {
    it("destroys the connection before any response", async () => {
      sandbox.faults.inject({ kind: "reset" });
      await expect(test()).rejects.toMatchObject({
        code: expect.stringMatching(/^(ECONNRESET|UND_ERR_SOCKET)$/),
      });
      expect(sandbox.requests.last()).toMatchObject({
        fault: "reset",
        status: null,
        fingerprint: keyFingerprint(sandbox.key),
      });
      expect((await test()).status).toBe(200);
    });
  });

  describe("a delay fault", () => {
    it("holds the headers back, then serves the request", async () => {
      // undici runs headersTimeout on a clock that ticks every half second: a 100 ms timeout may fire after a
      // second. The sandbox cancels the held answer when it closes, so the long hold costs no test time.
      sandbox.faults.inject({ kind: "delay", ms: 10_000 });
      const slow = request(`${sandbox.baseUrl}/test`, {
        headers: { "API-Key": sandbox.key },
        dispatcher: agent,
        headersTimeout: 100,
      });
      await expect(slow).rejects.toMatchObject({ code: "UND_ERR_HEADERS_TIMEOUT" });

      sandbox.faults.inject({ kind: "delay", ms: 50 });
      const reply = await test();
      expect(reply.status).toBe(200);
      // Found by its Request-Id, whatever else the log holds.
      expect(
        sandbox.requests.all().find((entry) => entry.requestId === reply.headers["request-id"]),
      ).toMatchObject({
        fault: "delay",
        status: 200,
      });
    });
  });

  describe("a delay fault whose client gives up", () => {
    it("drops the held answer: nothing is logged for it, then or later", async () => {
      sandbox.requests.clear();
      const held = sandbox.faults.inject({ kind: "delay", ms: 1_500 });
      const controller = new AbortController();
      const slow = request(`${sandbox.baseUrl}/test`, {
        headers: { "API-Key": sandbox.key },
        dispatcher: agent,
        signal: controller.signal,
      });
      const outcome = slow.then(
        () => "answered",
        () => "aborted",
      );
      for (let i = 0; i < 200 && held.hits === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(held.hits).toBe(1);
      controller.abort();
      await expect(outcome).resolves.toBe("aborted");
      await new Promise((resolve) => setTimeout(resolve, 1_700));
      expect(sandbox.requests.size).toBe(0);
    });
  });

  describe("a delay fault on a request with a body", () => {
    it("still reads the body once the delay is over", async () => {
      sandbox.faults.inject({ kind: "delay", ms: 100, method: "POST" });
      const reply = await call(agent, `${sandbox.baseUrl}/webhooks`, {
        method: "POST",
        key: sandbox.key,
        body: { url: "https://example.com/delayed", name: "Delayed", events: ["booking.scheduled"] },
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ name: "Delayed" });
    });
  });

  describe("a slow-body fault", () => {
    it("sends the headers at once and trickles the body in pieces", async () => {
      sandbox.faults.inject({ kind: "slow-body", ms: 500 });
      const res = await request(`${sandbox.baseUrl}/test`, {
        headers: { "API-Key": sandbox.key },
        dispatcher: agent,
      });
      expect(res.statusCode).toBe(200);
      const pieces: string[] = [];
      for await (const chunk of res.body) pieces.push(String(chunk));
      expect(pieces.length).toBeGreaterThan(1);
      expect(JSON.parse(pieces.join(""))).toEqual({
        message: "The API key is valid for account: admin@example.com",
      });
      expect(sandbox.requests.count({ fault: "slow-body", status: 200 })).toBe(1);
    });
  });

  describe("a redirect fault", () => {
    it("redirects to the plain-HTTP origin by default, where a request without the key is logged", async () => {
      sandbox.faults.inject({ kind: "redirect" });
      const reply = await test(sandbox.key, "/bookings?limit=2");
      expect(reply.status).toBe(307);
      expect(reply.headers["location"]).toBe(`${sandbox.plainUrl}/v2/bookings?limit=2`);

      const followed = await call(agent, String(reply.headers["location"]), {});
      expect(followed.status).toBe(400);
      expect(sandbox.requests.last()).toMatchObject({ plain: true, fingerprint: null });
    });

    it("uses the given location and status", async () => {
      sandbox.faults.inject({ kind: "redirect", location: "https://elsewhere.example/v2/test", status: 301 });
      const reply = await test();
      expect(reply.status).toBe(301);
      expect(reply.headers["location"]).toBe("https://elsewhere.example/v2/test");
    });
  });

  describe("an impossible fault", () => {
    it.each([
      { kind: "status", status: 200 },
      { kind: "status", status: 503, times: 0 },
      { kind: "status", status: 503, fraction: 1.5 },
      { kind: "delay", ms: -1 },
      { kind: "redirect", location: "not a url" },
      { kind: "explode" },
      { kind: "delay", ms: 3e9 },
      { kind: "slow-body", ms: Infinity },
      { kind: "status", status: 503, method: 7 },
      { kind: "status", status: 503, path: 7 },
    ])("is refused: %j", (spec) => {
      expect(() => sandbox.faults.inject(spec as never)).toThrow(RangeError);
    });

    // Each of these would otherwise be accepted and then fail inside the server, on the request it hit.
    it.each([
      [
        "a Retry-After that would split the header",
        { kind: "status", status: 503, retryAfter: "1\r\nX-Evil: 1" },
      ],
      ["a Retry-After in fractional seconds", { kind: "status", status: 429, retryAfter: 1.5 }],
      ["a body JSON cannot write", { kind: "status", status: 500, body: circular() }],
      ["a body that is a function", { kind: "status", status: 500, body: () => "x" }],
      [
        "a location that would split the header",
        { kind: "redirect", location: "https://a.example/\nX-Evil: 1" },
      ],
    ])("is refused before it can break a response: %s", async (_, spec) => {
      expect(() => sandbox.faults.inject(spec as never)).toThrow(RangeError);
      expect(sandbox.faults.pending).toBe(0);
      expect((await test()).status).toBe(200);
    });
  });
});

function circular(): unknown {
  const value: { self?: unknown } = {};
  value.self = value;
  return value;
}
