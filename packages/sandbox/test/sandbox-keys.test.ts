import { describe, expect, it } from "@jest/globals";
import type { Agent } from "undici";
import { keyFingerprint, type Sandbox } from "../src/index.js";
import { call, useSandbox } from "./sandbox-helpers.js";

describe("sandbox keys", () => {
  let sandbox: Sandbox;
  let agent: Agent;
  useSandbox((started) => ({ sandbox, agent } = started));

  const test = (key: string) => call(agent, `${sandbox.baseUrl}/test`, { key });

  describe("keys.create", () => {
    it("returns an opaque URL-safe key that works at once", async () => {
      const { id } = sandbox.accounts.create("ops@example.com");
      const key = sandbox.keys.create(id, "Production CRM");
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await test(key)).body).toEqual({
        message: "The API key is valid for account: ops@example.com",
      });
      expect(sandbox.keys.list(id).map((info) => info.name)).toEqual(["API key 1", "Production CRM"]);
    });

    it("lists keys by fingerprint only", () => {
      const { id, key } = sandbox.accounts.create();
      const [info] = sandbox.keys.list(id);
      expect(info).toEqual({
        name: "API key 1",
        fingerprint: keyFingerprint(key),
        createdAt: expect.any(Date),
      });
      expect(JSON.stringify(sandbox.keys.list(id))).not.toContain(key);
    });

    it("refuses a 26th active key", () => {
      const { id } = sandbox.accounts.create();
      for (let i = 2; i <= 25; i++) sandbox.keys.create(id);
      expect(() => sandbox.keys.create(id)).toThrow(/25 active API keys/);
    });

    it("refuses an unknown account", () => {
      expect(() => sandbox.keys.create("ACCT-NOPE")).toThrow(/No sandbox account with id "ACCT-NOPE"/);
    });

    it("does not repeat a key passed where an account id belongs", () => {
      const messages = [() => sandbox.keys.create(sandbox.key), () => sandbox.keys.list(sandbox.key)].map(
        (mistake) => {
          try {
            mistake();
            return "no error";
          } catch (error) {
            return String((error as Error).message);
          }
        },
      );
      expect(messages).toEqual([
        expect.stringMatching(/No sandbox account with id \(not an account id/),
        expect.stringMatching(/No sandbox account with id \(not an account id/),
      ]);
      for (const message of messages) expect(message).not.toContain(sandbox.key);
    });

    it("refuses a name that is not text, and an account whose apiAccess is not a boolean", () => {
      expect(() => sandbox.keys.create(sandbox.account.id, 7 as never)).toThrow(TypeError);
      expect(() => sandbox.keys.create(sandbox.account.id, "")).toThrow(TypeError);
      expect(() => sandbox.accounts.create(undefined, { apiAccess: "no" as never })).toThrow(TypeError);
      expect(sandbox.keys.list(sandbox.account.id)).toHaveLength(1);
    });
  });

  describe("when a key is rotated", () => {
    it("rejects the regenerated key at once, accepts the new one, and keeps the webhooks", async () => {
      const account = sandbox.accounts.create();
      const created = await call(agent, `${sandbox.baseUrl}/webhooks`, {
        method: "POST",
        key: account.key,
        body: { url: "https://example.com/hooks", name: "Survivor", events: ["booking.scheduled"] },
      });
      const webhookId = (created.body as { id: string }).id;

      const fresh = sandbox.keys.regenerate(account.key);
      expect(fresh).not.toBe(account.key);
      expect((await test(account.key)).status).toBe(401);
      expect((await test(account.key)).body).toEqual({
        type: "authentication_error",
        message: "Invalid API key.",
      });
      expect((await test(fresh)).status).toBe(200);
      expect(sandbox.keys.list(account.id).map((info) => info.fingerprint)).toEqual([keyFingerprint(fresh)]);

      const got = await call(agent, `${sandbox.baseUrl}/webhooks/${webhookId}`, { key: fresh });
      expect(got.status).toBe(200);
      expect(sandbox.requests.count({ fingerprint: keyFingerprint(account.key), status: 401 })).toBe(2);
    });

    it("supports create-new, switch, delete-old without a failed request, and webhooks outlive the old key", async () => {
      const account = sandbox.accounts.create();
      await call(agent, `${sandbox.baseUrl}/webhooks`, {
        method: "POST",
        key: account.key,
        body: { url: "https://example.com/hooks", name: "Kept", events: ["booking.canceled"] },
      });
      const next = sandbox.keys.create(account.id, "next");
      expect((await test(account.key)).status).toBe(200);
      expect((await test(next)).status).toBe(200);
      sandbox.keys.delete(account.key);
      expect((await test(account.key)).status).toBe(401);
      const list = await call(agent, `${sandbox.baseUrl}/webhooks`, { key: next });
      expect((list.body as { data: { name: string }[] }).data.map((webhook) => webhook.name)).toEqual([
        "Kept",
      ]);
    });

    it("throws for a key that is no longer active, naming only its fingerprint", () => {
      const account = sandbox.accounts.create();
      sandbox.keys.delete(account.key);
      expect(() => sandbox.keys.delete(account.key)).toThrow(keyFingerprint(account.key));
      let message = "";
      try {
        sandbox.keys.regenerate(account.key);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain("sha256:");
      expect(message).not.toContain(account.key);
    });
  });
});
