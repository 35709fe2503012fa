import { afterEach, describe, expect, it } from "@jest/globals";
import { SecretClient } from "@azure/keyvault-secrets";
import { Agent, request } from "undici";
import { startFakeKeyVault, type FakeKeyVault, type FakeKeyVaultOptions } from "../src/index.js";

const API = "api-version=2025-07-01";

const credential = {
  getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe("the fake Key Vault's throttle", () => {
  let vault: FakeKeyVault | undefined;
  let agent: Agent | undefined;
  afterEach(async () => {
    await agent?.close();
    await vault?.close();
    agent = vault = undefined;
  });

  async function start(options: FakeKeyVaultOptions): Promise<FakeKeyVault> {
    vault = await startFakeKeyVault(options);
    // Bounded: thousands of simultaneous TLS handshakes would time out on a small machine.
    agent = new Agent({ connect: { ca: vault.ca }, connections: 32 });
    vault.setSecret("oncehub", "key-1");
    return vault;
  }

  async function read(v: FakeKeyVault, token: string | null = "token") {
    const response = await request(`${v.url}/secrets/oncehub/?${API}`, {
      dispatcher: agent!,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: response.statusCode, headers: response.headers, body: await response.body.json() };
  }

  describe("when on", () => {
    it("answers 429 Throttled with Retry-After past `requests` in the window, as Key Vault does", async () => {
      const v = await start({ throttle: { requests: 3, windowMs: 60_000 } });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await read(v)).status);
      expect(statuses).toEqual([200, 200, 200]);

      const refused = await read(v);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        error: {
          code: "Throttled",
          message:
            "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached",
        },
      });
      const seconds = Number(refused.headers["retry-after"]);
      expect(seconds).toBeGreaterThan(50);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(v.throttled).toBe(1);
      expect(v.calls.last()).toMatchObject({ status: 429, throttled: true, fault: null });
      expect(v.calls.count({ throttled: true })).toBe(1);
    });

    it("counts writes as Key Vault does: a put takes its share of the window and is refused past it", async () => {
      const v = await start({ throttle: { requests: 2, windowMs: 60_000 } });
      const client = new SecretClient(v.url, credential, {
        disableChallengeResourceVerification: true,
        tlsOptions: { ca: v.ca },
        retryOptions: { maxRetries: 0 },
      });

      await client.setSecret("oncehub", "key-2"); // the challenge (not counted), then the write (1)
      expect((await read(v)).status).toBe(200); // (2)
      await expect(client.setSecret("oncehub", "key-3")).rejects.toMatchObject({
        statusCode: 429,
        code: "Throttled",
      });

      expect(v.throttled).toBe(1);
      expect(
        v.calls.all().map(({ operation, status, throttled }) => ({ operation, status, throttled })),
      ).toEqual([
        { operation: "setSecret", status: 401, throttled: false },
        { operation: "setSecret", status: 200, throttled: false },
        { operation: "getSecret", status: 200, throttled: false },
        { operation: "setSecret", status: 429, throttled: true },
      ]);
    });

    it("does not count the token challenge, which carries no token", async () => {
      const v = await start({ throttle: { requests: 1, windowMs: 60_000 } });
      expect((await read(v, null)).status).toBe(401);
      expect((await read(v, null)).status).toBe(401);
      expect((await read(v)).status).toBe(200);
      expect((await read(v)).status).toBe(429);
    });

    it("is waited out by the real Azure SDK, which honours Retry-After", async () => {
      const v = await start({ throttle: { requests: 2, windowMs: 800 } });
      const client = new SecretClient(v.url, credential, {
        disableChallengeResourceVerification: true,
        tlsOptions: { ca: v.ca },
        retryOptions: { maxRetries: 3 },
      });
      const values = [];
      for (let i = 0; i < 3; i++) values.push((await client.getSecret("oncehub")).value);
      expect(values).toEqual(["key-1", "key-1", "key-1"]);
      expect(v.throttled).toBe(1);
    });

    // Each default on its own, with the other field set wide: 4,001 requests in 10 s would need a speed a loaded
    // machine does not always have, and a slower run would slide the first requests out of the window.
    it("takes Key Vault's 4,000 requests when `requests` is left out", async () => {
      const v = await start({ throttle: { windowMs: 3_600_000 } });
      const replies = await Promise.all(Array.from({ length: 4_001 }, () => read(v)));
      expect(replies.filter((reply) => reply.status === 429)).toHaveLength(1);
    });

    it("takes Key Vault's 10 seconds when `windowMs` is left out", async () => {
      const v = await start({ throttle: { requests: 1 } });
      expect((await read(v)).status).toBe(200);

      const refused = await read(v);

      expect(refused.status).toBe(429);
      const seconds = Number(refused.headers["retry-after"]);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(10);
    });
  });

  describe("by default", () => {
    it("is off", async () => {
      const v = await start({});
      const replies = await Promise.all(Array.from({ length: 200 }, () => read(v)));
      expect(replies.every((reply) => reply.status === 200)).toBe(true);
      expect(v.throttled).toBe(0);
    });
  });

  describe("with invalid options", () => {
    it.each([
      [{ throttle: true }, /startFakeKeyVault: throttle is \{ requests, windowMs \} or false, got true/],
      [{ throttle: { requests: 4_000.5 } }, /throttle: requests must be an integer from 1 to 100000/],
      [{ throttle: { window: 10 } }, /throttle: unknown option "window"/],
      [{ trottle: {} }, /startFakeKeyVault: unknown option "trottle"; the options are port, name/],
      [{ name: "" }, /startFakeKeyVault: name must be a non-empty string/],
      [{ port: -1 }, /startFakeKeyVault: port must be an integer from 0 to 65535, got -1/],
      [
        { tokens: { t: { permissions: ["write"] } } },
        /tokens \(the grant of token 1\): permissions must be a list of get, list, set/,
      ],
      [{ tokens: { t: { perms: ["get"] } } }, /tokens \(the grant of token 1\): unknown option "perms"/],
    ])("refuses %j before listening", async (options, message) => {
      await expect(startFakeKeyVault(options as never)).rejects.toThrow(message);
    });
  });
});
