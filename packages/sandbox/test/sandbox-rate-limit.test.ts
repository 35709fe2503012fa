import { afterEach, describe, expect, it } from "@jest/globals";
import type { Agent } from "undici";
import { TokenBucket } from "../src/oncehub/state/token-bucket.js";
import { startSandbox, type Sandbox } from "../src/index.js";
import { call, trustingAgent } from "./sandbox-helpers.js";

describe(TokenBucket.name, () => {
  describe("when requests come faster than the rate", () => {
    it("grants the burst, then one request per interval", () => {
      const bucket = new TokenBucket(5, 5, 0, 0);
      expect([0, 0, 0, 0, 0].map((t) => bucket.take(t))).toEqual([0, 0, 0, 0, 0]);
      expect(bucket.take(0)).toBe(200);
      expect(bucket.take(199)).toBe(1);
      expect(bucket.take(200)).toBe(0);
      expect(bucket.take(200)).toBe(200);
    });

    it("never holds more than the burst", () => {
      const bucket = new TokenBucket(5, 5, 0, 0);
      const granted = Array.from({ length: 10 }, () => bucket.take(60_000)).filter((wait) => wait === 0);
      expect(granted).toHaveLength(5);
    });
  });

  describe("with a jitter tolerance", () => {
    it("lets a request that is a little early through, and charges it", () => {
      const bucket = new TokenBucket(5, 5, 100, 0);
      for (let i = 0; i < 5; i++) bucket.take(0);
      expect(bucket.take(150)).toBe(0); // 0.75 tokens: within the 100 ms (0.5 token) tolerance
      expect(bucket.take(150)).toBeGreaterThan(0);
    });

    it("forgives as many requests as the rate allows within the tolerance", () => {
      const bucket = new TokenBucket(50, 5, 100, 0); // 100 ms at 50/s: 5 requests bunched together
      const granted = Array.from({ length: 12 }, () => bucket.take(0)).filter((wait) => wait === 0);
      expect(granted).toHaveLength(10);
    });
  });
});

describe("the sandbox rate limit", () => {
  let sandbox: Sandbox | undefined;
  let agent: Agent | undefined;

  afterEach(async () => {
    await agent?.close();
    await sandbox?.close();
    agent = undefined;
    sandbox = undefined;
  });

  async function start(
    options: Parameters<typeof startSandbox>[0],
  ): Promise<{ sandbox: Sandbox; agent: Agent }> {
    sandbox = await startSandbox(options);
    agent = trustingAgent(sandbox);
    return { sandbox, agent };
  }
  // Bursts are sized so that even a machine stalled for seconds delivers some of a burst within one refill.
  const burst = (target: { sandbox: Sandbox; agent: Agent }, count: number) =>
    Promise.all(
      Array.from({ length: count }, () =>
        call(target.agent, `${target.sandbox.baseUrl}/test`, { key: target.sandbox.key }),
      ),
    );

  describe("by default", () => {
    it("answers 429 rate_limit_error past 5 requests at once, per account", async () => {
      const { sandbox, agent } = await start({});
      const replies = await burst({ sandbox, agent }, 20);
      const limited = replies.filter((reply) => reply.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(replies.filter((reply) => reply.status === 200).length).toBeGreaterThanOrEqual(5);
      expect(limited[0]?.body).toEqual({ type: "rate_limit_error", message: "Request rate limit exceeded" });
      expect(limited[0]?.headers["retry-after"]).toBeUndefined();

      const other = sandbox.accounts.create();
      expect((await call(agent, `${sandbox.baseUrl}/test`, { key: other.key })).status).toBe(200);
    });

    it("does not count requests that fail authentication", async () => {
      const { sandbox, agent } = await start({ rateLimit: 1 });
      await Promise.all(
        Array.from({ length: 5 }, () => call(agent, `${sandbox.baseUrl}/test`, { key: "wrong" })),
      );
      expect((await call(agent, `${sandbox.baseUrl}/test`, { key: sandbox.key })).status).toBe(200);
    });
  });

  describe("with retryAfter", () => {
    it("sends a computed Retry-After when true", async () => {
      const target = await start({ rateLimit: 1, retryAfter: true });
      const replies = await burst(target, 10);
      expect(replies.find((reply) => reply.status === 429)?.headers["retry-after"]).toBe("1");
    });

    it("sends the given seconds when a number", async () => {
      const target = await start({ rateLimit: 1, retryAfter: 7 });
      const replies = await burst(target, 10);
      expect(replies.find((reply) => reply.status === 429)?.headers["retry-after"]).toBe("7");
    });
  });

  describe("when switched off", () => {
    it("never answers 429", async () => {
      const target = await start({ rateLimit: false });
      const replies = await burst(target, 50);
      expect(replies.every((reply) => reply.status === 200)).toBe(true);
    });
  });

  describe("with invalid options", () => {
    it("throws before listening", async () => {
      await expect(startSandbox({ rateLimit: 0 })).rejects.toThrow(RangeError);
      await expect(startSandbox({ bookings: -1 })).rejects.toThrow(/bookings/);
      await expect(startSandbox({ port: 70_000 })).rejects.toThrow(/port/);
      await expect(startSandbox({ rateLimit: true as never })).rejects.toThrow(/rateLimit/);
      await expect(startSandbox({ retryAfter: "soon" as never })).rejects.toThrow(/retryAfter/);
      await expect(startSandbox(null as never)).rejects.toThrow(TypeError);
    });
  });
});
