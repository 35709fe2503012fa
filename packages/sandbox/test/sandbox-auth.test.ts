import { describe, expect, it } from "@jest/globals";
import type { Agent } from "undici";
import { keyFingerprint, startSandbox, type Sandbox } from "../src/index.js";
import { call, trustingAgent, useSandbox } from "./sandbox-helpers.js";

describe(startSandbox.name, () => {
  let sandbox: Sandbox;
  let agent: Agent;
  useSandbox((started) => ({ sandbox, agent } = started));

  describe("when the key is valid", () => {
    it("answers GET /v2/test exactly as OnceHub does", async () => {
      const reply = await call(agent, `${sandbox.baseUrl}/test`, { key: sandbox.key });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ message: "The API key is valid for account: admin@example.com" });
      expect(reply.headers["request-id"]).toMatch(/^req_[0-9a-f]{16}$/);
      expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    });

    it("exposes the origin, the base URL and the plain origin", () => {
      expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(sandbox.baseUrl).toBe(`${sandbox.url}/v2`);
      expect(sandbox.plainUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sandbox.ca).toContain("BEGIN CERTIFICATE");
    });

    it("accepts the header name in any case", async () => {
      const reply = await call(agent, `${sandbox.baseUrl}/test`, { headers: { "api-KEY": sandbox.key } });
      expect(reply.status).toBe(200);
    });

    it("logs the request by key fingerprint, never the raw key", async () => {
      sandbox.requests.clear();
      const reply = await call(agent, `${sandbox.baseUrl}/test?x=1`, { key: sandbox.key });
      const entry = sandbox.requests.last();
      expect(entry).toMatchObject({
        method: "GET",
        path: "/v2/test",
        query: { x: "1" },
        accountId: sandbox.account.id,
        fingerprint: keyFingerprint(sandbox.key),
        status: 200,
        plain: false,
        fault: null,
        requestId: reply.headers["request-id"],
      });
      expect(JSON.stringify(sandbox.requests.all())).not.toContain(sandbox.key);
    });
  });

  describe("when the key is missing or wrong", () => {
    it("answers 401 for a missing header", async () => {
      const reply = await call(agent, `${sandbox.baseUrl}/test`);
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({
        type: "authentication_error",
        message: "No API key provided. Send your API key in the API-Key header.",
      });
      expect(reply.headers["request-id"]).toMatch(/^req_/);
      expect(sandbox.requests.last()).toMatchObject({ status: 401, fingerprint: null, accountId: null });
    });

    it("answers 401 for an empty header", async () => {
      const reply = await call(agent, `${sandbox.baseUrl}/test`, { key: "" });
      expect(reply.status).toBe(401);
    });

    it("answers 401 'Invalid API key.' for an unknown key and logs its fingerprint", async () => {
      const reply = await call(agent, `${sandbox.baseUrl}/bookings`, { key: "not-a-real-key" });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ type: "authentication_error", message: "Invalid API key." });
      expect(sandbox.requests.last()).toMatchObject({
        fingerprint: keyFingerprint("not-a-real-key"),
        accountId: null,
      });
    });

    it("answers 403 for an account whose plan has no API access", async () => {
      const account = sandbox.accounts.create("free@example.com", { apiAccess: false });
      const reply = await call(agent, `${sandbox.baseUrl}/test`, { key: account.key });
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual({
        type: "authentication_error",
        message:
          "Your account plan does not support API access. To use the OnceHub API, you must upgrade to the Enterprise plan.",
      });
    });
  });

  describe("when the path is not served", () => {
    it("answers 404 outside /v2 without asking for a key", async () => {
      const reply = await call(agent, `${sandbox.url}/bookings`);
      expect(reply.status).toBe(404);
      expect(reply.body).toMatchObject({ type: "invalid_request_error" });
    });

    it("answers 404 for an unknown API path once authenticated", async () => {
      const reply = await call(agent, `${sandbox.baseUrl}/nothing-here`, { key: sandbox.key });
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({
        type: "invalid_request_error",
        message: "Unrecognized request URL (GET: /v2/nothing-here).",
      });
    });
  });

  describe("when a request arrives over plain HTTP", () => {
    it("fails it and records that it came, with the key's fingerprint", async () => {
      const plainAgent = trustingAgent(sandbox);
      try {
        const reply = await call(plainAgent, `${sandbox.plainUrl}/v2/test`, { key: sandbox.key });
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({
          type: "invalid_request_error",
          message: "The OnceHub API is served over HTTPS only. Use https:// and try again.",
        });
        expect(sandbox.requests.last()).toMatchObject({
          plain: true,
          fingerprint: keyFingerprint(sandbox.key),
        });
      } finally {
        await plainAgent.close();
      }
    });
  });
});
