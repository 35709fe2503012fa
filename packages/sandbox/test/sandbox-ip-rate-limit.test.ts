import { afterEach, describe, expect, it } from "@jest/globals";
import { setTimeout as sleep } from "node:timers/promises";
import type { Agent } from "undici";
import { startSandbox, type Sandbox, type StartSandboxOptions } from "../src/index.js";
import { call, trustingAgent } from "./sandbox-helpers.js";

const RATE_LIMITED = { type: "rate_limit_error", message: "Request rate limit exceeded" };

describe("the sandbox's per-IP rate limit", () => {
  let sandbox: Sandbox | undefined;
  let agent: Agent | undefined;
  afterEach(async () => {
    await agent?.close();
    await sandbox?.close();
    agent = sandbox = undefined;
  });

  async function start(options: StartSandboxOptions): Promise<{ sandbox: Sandbox; agent: Agent }> {
    sandbox = await startSandbox({ rateLimit: false, ...options });
    agent = trustingAgent(sandbox, 32);
    return { sandbox, agent };
  }
  const test = (s: Sandbox, a: Agent, key: string | null = s.key) => call(a, `${s.baseUrl}/test`, { key });

  describe("when on", () => {
    it("answers 429 rate_limit_error past `requests` from one address, whatever the account", async () => {
      const { sandbox, agent } = await start({ ipRateLimit: { requests: 3, windowMs: 60_000 } });
      const other = sandbox.accounts.create().key;
      const statuses = [];
      for (const key of [sandbox.key, other, sandbox.key])
        statuses.push((await test(sandbox, agent, key)).status);
      expect(statuses).toEqual([200, 200, 200]);

      const refused = await test(sandbox, agent, other);
      expect(refused).toMatchObject({ status: 429, body: RATE_LIMITED });
      expect(refused.headers["retry-after"]).toBeUndefined();
      expect(sandbox.rateLimited).toEqual({ account: 0, ip: 1 });
      expect(sandbox.requests.last()).toMatchObject({ status: 429, limitedBy: "ip" });
      expect(sandbox.requests.count({ limitedBy: "ip" })).toBe(1);
    });

    it("counts requests that fail authentication, as a limit at the door does", async () => {
      const { sandbox, agent } = await start({ ipRateLimit: { requests: 2, windowMs: 60_000 } });
      expect((await test(sandbox, agent, "wrong")).status).toBe(401);
      expect((await test(sandbox, agent, null)).status).toBe(401);
      expect((await test(sandbox, agent)).status).toBe(429);
    });

    it("sends Retry-After as retryAfter says: the seconds until a request would pass", async () => {
      const { sandbox, agent } = await start({
        ipRateLimit: { requests: 1, windowMs: 90_000 },
        retryAfter: true,
      });
      await test(sandbox, agent);
      const seconds = Number((await test(sandbox, agent)).headers["retry-after"]);
      expect(seconds).toBeGreaterThan(80);
      expect(seconds).toBeLessThanOrEqual(90);
    });

    it("admits requests again once the oldest has left the window", async () => {
      const { sandbox, agent } = await start({ ipRateLimit: { requests: 2, windowMs: 300 } });
      await test(sandbox, agent);
      await test(sandbox, agent);
      expect((await test(sandbox, agent)).status).toBe(429);
      await sleep(350);
      expect((await test(sandbox, agent)).status).toBe(200);
    });

    it("comes before the per-account limit, and each counts its own 429s", async () => {
      const { sandbox, agent } = await start({
        ipRateLimit: { requests: 4, windowMs: 60_000 },
        rateLimit: 1,
      });
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await test(sandbox, agent)).status);
      expect(statuses.slice(0, 4)).toEqual([200, 429, 429, 429]);
      expect(statuses.slice(4)).toEqual([429, 429]);
      expect(sandbox.rateLimited).toEqual({ account: 3, ip: 2 });
      expect(sandbox.requests.all().map((entry) => entry.limitedBy)).toEqual([
        null,
        "account",
        "account",
        "account",
        "ip",
        "ip",
      ]);
    });

    it("does not count injected 429s", async () => {
      const { sandbox, agent } = await start({ ipRateLimit: { requests: 5, windowMs: 60_000 } });
      sandbox.faults.inject({ kind: "status", status: 429 });
      expect((await test(sandbox, agent)).status).toBe(429);
      expect(sandbox.rateLimited).toEqual({ account: 0, ip: 0 });
      expect(sandbox.requests.last()).toMatchObject({ fault: "status", limitedBy: null });
    });

    it("takes OnceHub's 200 per 5 minutes for fields left out", async () => {
      const { sandbox, agent } = await start({ ipRateLimit: {} });
      const replies = await Promise.all(Array.from({ length: 201 }, () => test(sandbox, agent)));
      expect(replies.filter((reply) => reply.status === 429)).toHaveLength(1);
    });
  });

  describe("by default", () => {
    it("is off, so a benchmark from 127.0.0.1 is never refused", async () => {
      const { sandbox, agent } = await start({});
      const replies = await Promise.all(Array.from({ length: 250 }, () => test(sandbox, agent)));
      expect(replies.every((reply) => reply.status === 200)).toBe(true);
      expect(sandbox.rateLimited).toEqual({ account: 0, ip: 0 });
    });
  });

  describe("with invalid options", () => {
    it.each([
      [true, TypeError, /ipRateLimit is \{ requests, windowMs \} or false, got true/],
      [{ requests: 0 }, RangeError, /ipRateLimit: requests must be an integer from 1 to 100000, got 0/],
      [{ windowMs: 1.5 }, RangeError, /ipRateLimit: windowMs must be whole milliseconds from 1 to 86400000/],
      [
        { request: 5 },
        TypeError,
        /ipRateLimit: unknown option "request"; the options are requests, windowMs/,
      ],
    ])("refuses %j before listening", async (ipRateLimit, type, message) => {
      const error = await startSandbox({ ipRateLimit: ipRateLimit as never }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toMatch(message);
    });
  });
});
