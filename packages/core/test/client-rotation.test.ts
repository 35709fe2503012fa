import { describe, expect, it } from "@jest/globals";
import diagnostics from "node:diagnostics_channel";
import { keyFingerprint } from "@oncekey/sandbox";
import { OnceHubClient, type OnceKeyEvent } from "../src/index.js";
import { mutableKeys } from "./transport/mutable-keys.js";
import { eventually, sandboxTransportOptions, useSandbox, withClient } from "@oncekey/test-support";

const sandbox = useSandbox();
const options = () => sandboxTransportOptions(sandbox());

describe("OnceHubClient key rotation", () => {
  describe("when five of twenty tenants rotate the way OnceHub recommends while 2,000 requests are in flight", () => {
    it("fails no call and refetches each rotated key at most once", async () => {
      const tenants = Array.from({ length: 20 }, (_, i) => `tenant-${String(i).padStart(2, "0")}`);
      const keys = mutableKeys();
      const accounts = new Map(
        tenants.map((tenant) => {
          const account = sandbox().accounts.create(`${tenant}@example.com`);
          keys.set(account.key, tenant);
          return [tenant, account] as const;
        }),
      );
      const rejected: OnceKeyEvent[] = [];
      const client = new OnceHubClient({
        keys: keys.provider,
        ...options(),
        onEvent: (event) => {
          if (event.type === "key:rejected" || event.type === "key:rotated") rejected.push(event);
        },
      });
      try {
        const children = tenants.map((tenant) => client.forTenant(tenant));
        await Promise.all(children.map((child) => child.test()));
        expect(tenants.map((tenant) => keys.reads(tenant))).toEqual(tenants.map(() => 1));

        sandbox().requests.clear();
        const calls: Promise<unknown>[] = [];
        for (let round = 0; round < 100; round++) {
          for (const child of children) calls.push(child.request("GET", "/test"));
        }
        const settled = Promise.allSettled(calls);

        const rotated = tenants.slice(0, 5);
        await eventually(() => sandbox().requests.size >= 300);
        const oldKeys = new Map<string, string>();
        for (const tenant of rotated) {
          const account = accounts.get(tenant) as { id: string; key: string };
          const fresh = sandbox().keys.create(account.id, "rotated");
          keys.set(fresh, tenant);
          sandbox().keys.delete(account.key);
          oldKeys.set(tenant, account.key);
        }

        const outcomes = await settled;
        const failed = outcomes.filter((outcome) => outcome.status === "rejected");
        expect(failed).toEqual([]);
        for (const tenant of tenants) {
          expect({ tenant, reads: keys.reads(tenant) }).toEqual({
            tenant,
            reads: rotated.includes(tenant) ? 2 : 1,
          });
        }
        for (const tenant of rotated) {
          // The rotation happened mid-flight: OnceHub refused the old key at least once.
          expect(
            sandbox().requests.count({
              fingerprint: keyFingerprint(oldKeys.get(tenant) as string),
              status: 401,
            }),
          ).toBeGreaterThan(0);
        }
        const rotations = rejected.filter((event) => event.type === "key:rotated");
        expect(rotations.map((event) => event.tenant).sort()).toEqual(rotated);
      } finally {
        await client.close();
      }
    });
  });

  describe("when OnceHub's legacy Regenerate kills the key before the source has the new one", () => {
    it("waits for the new key when told to, and the calls in between succeed", async () => {
      const account = sandbox().accounts.create("legacy-wait@example.com");
      const keys = mutableKeys(account.key);
      let regenerated = "";
      let update: NodeJS.Timeout | undefined;
      const client = new OnceHubClient({
        keys: keys.provider,
        ...options(),
        rotation: { waitForNewKeyMs: 3_000, pollIntervalMs: 20 },
        // The source learns the new key a moment after OnceHub started refusing the old one.
        onEvent: (event) => {
          if (event.type === "key:rejected") update ??= setTimeout(() => keys.set(regenerated), 150);
        },
      });
      try {
        await client.test();
        regenerated = sandbox().keys.regenerate(account.key);
        const readsBefore = keys.reads();
        await expect(Promise.all(Array.from({ length: 10 }, () => client.test()))).resolves.toHaveLength(10);
        // The source was polled at its interval while waiting (one read per round for all ten calls), not in a loop.
        const polls = keys.reads() - readsBefore;
        expect(polls).toBeGreaterThan(2);
        expect(polls).toBeLessThan(3_000 / 20);
      } finally {
        clearTimeout(update);
        await client.close();
      }
    });

    it("fails fast with an AuthenticationError when not told to wait", async () => {
      const account = sandbox().accounts.create("legacy-fast@example.com");
      const keys = mutableKeys(account.key);
      await withClient({ keys: keys.provider, ...options() }, async (client) => {
        await client.test();
        const regenerated = sandbox().keys.regenerate(account.key);
        await expect(client.test()).rejects.toMatchObject({
          code: "AUTHENTICATION",
          status: 401,
          fingerprint: keyFingerprint(account.key),
          source: "mutable:(single)",
        });
        keys.set(regenerated);
        await expect(client.test()).resolves.toMatchObject({ account: "legacy-fast@example.com" });
      });
    });
  });

  describe("when OnceHub rejects the key and the source has no other", () => {
    it("throws one AuthenticationError after one refetch, without a replay loop", async () => {
      const account = sandbox().accounts.create("dead@example.com");
      const keys = mutableKeys(account.key);
      const events: OnceKeyEvent[] = [];
      await withClient(
        {
          keys: keys.provider,
          ...options(),
          onEvent: (event) => events.push(event),
        },
        async (client) => {
          await client.test();
          sandbox().keys.delete(account.key);
          sandbox().requests.clear();
          const error = await client.test().catch((caught: unknown) => caught);
          expect(error).toMatchObject({
            code: "AUTHENTICATION",
            status: 401,
            type: "authentication_error",
            fingerprint: keyFingerprint(account.key),
            requestId: expect.stringMatching(/^req_/),
          });
          const message = (error as Error).message;
          expect(message).toContain(keyFingerprint(account.key));
          expect(message).toContain("mutable:(single)");
          expect(message).toContain("deleted or regenerated");
          expect(message).not.toContain(account.key);
          expect(keys.reads()).toBe(2);
          expect(sandbox().requests.size).toBe(1);
          expect(events.filter((event) => event.type === "key:rejected")).toEqual([
            expect.objectContaining({
              fingerprint: keyFingerprint(account.key),
              source: "mutable:(single)",
              status: 401,
            }),
          ]);
          expect(client.usage()[0]).toMatchObject({ unauthorized: 1, failures: 1, requests: 2 });
        },
      );
    });

    it("does not replay twice when the new key is rejected too", async () => {
      const account = sandbox().accounts.create("twice@example.com");
      const keys = mutableKeys(account.key);
      await withClient({ keys: keys.provider, ...options() }, async (client) => {
        await client.test();
        const next = sandbox().keys.create(account.id);
        sandbox().keys.delete(account.key);
        sandbox().keys.delete(next);
        keys.set(next);
        sandbox().requests.clear();
        await expect(client.test()).rejects.toMatchObject({
          code: "AUTHENTICATION",
          fingerprint: keyFingerprint(next),
        });
        expect(sandbox().requests.count({ status: 401 })).toBe(2);
      });
    });
  });

  describe("when a 401 leads to a new key", () => {
    it("publishes key:rotated on the diagnostics channel once, and tells the client's listener too", async () => {
      const account = sandbox().accounts.create("rotated-once@example.com");
      const keys = mutableKeys(account.key);
      const published: unknown[] = [];
      const listened: OnceKeyEvent[] = [];
      const subscriber = (event: unknown): void => void published.push(event);
      diagnostics.subscribe("oncekey:key:rotated", subscriber);
      const client = new OnceHubClient({
        ...options(),
        keys: keys.provider,
        onEvent: (e) => listened.push(e),
      });
      try {
        await client.test();
        const next = sandbox().keys.regenerate(account.key);
        keys.set(next);
        await client.test();
        expect(published).toEqual([
          expect.objectContaining({
            previousFingerprint: keyFingerprint(account.key),
            fingerprint: keyFingerprint(next),
          }),
        ]);
        expect(listened.filter((e) => e.type === "key:rotated")).toHaveLength(1);
      } finally {
        diagnostics.unsubscribe("oncekey:key:rotated", subscriber);
        await client.close();
      }
    });
  });

  describe("when a webhook was created with key A and A was regenerated to B", () => {
    it("deletes the webhook through the client once the provider serves B", async () => {
      const account = sandbox().accounts.create("hooks@example.com");
      const keys = mutableKeys(account.key);
      await withClient({ keys: keys.provider, ...options() }, async (client) => {
        const webhook = await client.webhooks.create({
          name: "Survives regenerate",
          url: "https://hooks.example.com/oncehub",
          events: ["booking.scheduled"],
        });
        const b = sandbox().keys.regenerate(account.key);
        keys.set(b);
        sandbox().requests.clear();
        await expect(client.webhooks.delete(webhook.id)).resolves.toEqual({ id: webhook.id, deleted: true });
        expect(
          sandbox()
            .requests.all()
            .map((r) => [r.method, r.status, r.fingerprint]),
        ).toEqual([
          ["DELETE", 401, keyFingerprint(account.key)],
          ["DELETE", 200, keyFingerprint(b)],
        ]);
      });
    });
  });
});
