import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Pool, request } from "undici";
import { keyFingerprint, startSandbox, type Sandbox } from "../src/index.js";

describe("sandbox under concurrent load", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: false });
  });
  afterAll(() => sandbox.close());

  describe("when 2,000 requests are in flight at once", () => {
    it("answers every one, with unique request ids, over 64 connections", async () => {
      const pool = new Pool(sandbox.url, {
        connect: { ca: sandbox.ca, timeout: 25_000 },
        connections: 64,
        pipelining: 1,
      });
      const other = sandbox.accounts.create("second@example.com");
      sandbox.requests.clear();
      try {
        const replies = await Promise.all(
          Array.from({ length: 2_000 }, async (_, i) => {
            const key = i % 2 === 0 ? sandbox.key : other.key;
            const res = await pool.request({ method: "GET", path: "/v2/test", headers: { "API-Key": key } });
            return {
              status: res.statusCode,
              id: String(res.headers["request-id"]),
              body: (await res.body.json()) as unknown,
            };
          }),
        );
        expect(replies.filter((reply) => reply.status === 200)).toHaveLength(2_000);
        expect(new Set(replies.map((reply) => reply.id)).size).toBe(2_000);
        expect(sandbox.requests.count({ fingerprint: keyFingerprint(sandbox.key), status: 200 })).toBe(1_000);
        expect(sandbox.requests.count({ fingerprint: keyFingerprint(other.key), accountId: other.id })).toBe(
          1_000,
        );
      } finally {
        await pool.close();
      }
    });

    it("accepts that many simultaneous TLS connections", async () => {
      // 256 handshakes share this process's CPU with the sandbox; on a loaded machine undici's 10 s connect timeout
      // fails the test for the machine's sake, not the sandbox's, so the deadline is the test's own.
      const pool = new Pool(sandbox.url, { connect: { ca: sandbox.ca, timeout: 25_000 }, connections: 256 });
      try {
        const statuses = await Promise.all(
          Array.from({ length: 2_000 }, async () => {
            const res = await request(`${sandbox.baseUrl}/bookings?limit=1`, {
              headers: { "API-Key": sandbox.key },
              dispatcher: pool,
            });
            await res.body.dump();
            return res.statusCode;
          }),
        );
        expect(statuses.every((status) => status === 200)).toBe(true);
      } finally {
        await pool.close();
      }
    });
  });
});
