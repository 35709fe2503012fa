import diagnostics from "node:diagnostics_channel";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { keyFingerprint, startSandbox } from "@oncekey/sandbox";
import {
  ApiKey,
  cached,
  type KeyProvider,
  type KeySource,
  OnceHubClient,
  type OnceHubClientOptions,
  type OnceKeyEvent,
  staticKey,
} from "../src/index.js";
import { TEST_CA_PEM } from "./fixtures/test-ca.js";
import { mutableKeys } from "./transport/mutable-keys.js";
import {
  sandboxClientOptions,
  sandboxTransportOptions,
  useSandbox,
  withClient as withNewClient,
} from "@oncekey/test-support";

const sandbox = useSandbox();
const options = () => sandboxTransportOptions(sandbox());

/** Runs `use` with a client of the sandbox's default key (`extra` overrides options), then closes it. */
function withClient<T>(
  extra: Partial<OnceHubClientOptions>,
  use: (client: OnceHubClient) => Promise<T>,
): Promise<T> {
  return withNewClient(sandboxClientOptions(sandbox(), extra), use);
}

describe(OnceHubClient.name, () => {
  describe("when constructed with an unsafe or wrong option", () => {
    it("refuses an http: base URL before any socket opens", () => {
      sandbox().requests.clear();
      expect(
        () => new OnceHubClient({ keys: staticKey(sandbox().key), baseUrl: `${sandbox().plainUrl}/v2` }),
      ).toThrow(expect.objectContaining({ code: "INSECURE_TRANSPORT" }));
      expect(sandbox().requests.count({ plain: true })).toBe(0);
    });

    it("names the option that is wrong", () => {
      const keys = staticKey(sandbox().key);
      expect(() => new OnceHubClient({ keys, baseUrl: "not a url" })).toThrow(
        expect.objectContaining({ code: "CONFIG", variable: "baseUrl" }),
      );
      expect(() => new OnceHubClient({ keys, baseUrl: "https://u:p@api.oncehub.com/v2" })).toThrow(
        expect.objectContaining({ code: "CONFIG" }),
      );
      expect(() => new OnceHubClient({ keys, pacing: { requestsPerSecond: 0 } })).toThrow(
        expect.objectContaining({ code: "CONFIG", variable: "pacing.requestsPerSecond" }),
      );
      expect(() => new OnceHubClient({ keys, timeouts: { headersMs: -1 } })).toThrow(
        expect.objectContaining({ variable: "timeouts.headersMs" }),
      );
      expect(() => new OnceHubClient({ keys, tenant: "../etc" })).toThrow(
        expect.objectContaining({ code: "INVALID_TENANT" }),
      );
      expect(() => new OnceHubClient({} as OnceHubClientOptions)).toThrow(
        expect.objectContaining({ variable: "keys" }),
      );
      expect(() => new OnceHubClient({ keys, onEvent: "log" as unknown as () => void })).toThrow(
        expect.objectContaining({ code: "CONFIG", variable: "onEvent" }),
      );
    });

    it("refuses a CA it cannot read, which TLS would silently ignore", () => {
      const keys = staticKey(sandbox().key);
      const unreadable = "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n";
      for (const ca of ["", "not a certificate", unreadable, 42, null]) {
        expect(() => new OnceHubClient({ keys, ca: ca as string })).toThrow(
          expect.objectContaining({ code: "CONFIG", variable: "ca" }),
        );
      }
      expect(() => new OnceHubClient({ keys, ca: `${TEST_CA_PEM}${sandbox().ca}` }).close()).not.toThrow();
    });
  });

  describe("test()", () => {
    it("returns the account the key belongs to", async () => {
      await withClient({}, async (client) => {
        await expect(client.test()).resolves.toEqual({
          account: sandbox().account.email,
          message: `The API key is valid for account: ${sandbox().account.email}`,
        });
      });
      expect(sandbox().requests.last()).toMatchObject({
        path: "/v2/test",
        status: 200,
        fingerprint: keyFingerprint(sandbox().key),
      });
    });
  });

  describe("bookings", () => {
    it("walks every page of the list with after cursors", async () => {
      await withClient({}, async (client) => {
        sandbox().requests.clear();
        const ids: string[] = [];
        for await (const booking of client.bookings.list({ limit: 10 })) ids.push(booking.id);
        expect(ids).toHaveLength(37);
        expect(new Set(ids).size).toBe(37);
        expect(
          sandbox()
            .requests.all()
            .map((r) => r.query.after ?? null),
        ).toEqual([null, ids[9], ids[19], ids[29]]);

        const pages = [];
        for await (const page of client.bookings.list({ limit: 20 }).pages()) pages.push(page.data.length);
        expect(pages).toEqual([20, 17]);
      });
    });

    it("reads the list in pages of 100 unless told", async () => {
      await withClient({}, async (client) => {
        sandbox().requests.clear();
        let count = 0;
        for await (const _ of client.bookings.list()) count++;
        expect(count).toBe(37);
        expect(
          sandbox()
            .requests.all()
            .map((r) => r.query.limit),
        ).toEqual(["100"]);
      });
    });

    it("gives explicit pages with next and previous cursors", async () => {
      await withClient({}, async (client) => {
        const first = await client.bookings.page({ limit: 15 });
        expect(first).toMatchObject({ hasMore: true, previousCursor: undefined });
        const second = await client.bookings.page({ limit: 15, after: first.nextCursor as string });
        expect(second.previousCursor).toBe(second.data[0]?.id);
        const back = await client.bookings.page({ limit: 15, before: second.previousCursor as string });
        expect(back.data.map((b) => b.id)).toEqual(first.data.map((b) => b.id));
        const last = await client.bookings.page({ limit: 15, after: second.nextCursor as string });
        expect(last).toMatchObject({ hasMore: false, nextCursor: undefined });
        expect(last.data).toHaveLength(7);
      });
    });

    it("gets one booking, and maps an unknown id to OnceHub's 404", async () => {
      await withClient({}, async (client) => {
        const { data } = await client.bookings.page({ limit: 1 });
        const id = data[0]?.id as string;
        await expect(client.bookings.get(id)).resolves.toMatchObject({ object: "booking", id });
        await expect(client.bookings.get("BKNG-NOPE")).rejects.toMatchObject({
          code: "INVALID_REQUEST",
          status: 404,
          type: "invalid_request_error",
          param: "id",
          requestId: expect.stringMatching(/^req_/),
        });
        await expect(client.bookings.get("")).rejects.toThrow(TypeError);
      });
    });

    it("passes filters as query parameters", async () => {
      await withClient({}, async (client) => {
        sandbox().requests.clear();
        const page = await client.bookings.page({ status: "canceled", limit: 100 });
        expect(page.data.every((b) => b.status === "canceled")).toBe(true);
        expect(sandbox().requests.last()?.query).toEqual({ status: "canceled", limit: "100" });
      });
    });
  });

  describe("webhooks", () => {
    it("creates, lists, gets and deletes a subscription", async () => {
      await withClient({}, async (client) => {
        const input = {
          name: "CRM sync",
          url: "https://crm.example.com/hooks",
          events: ["booking.scheduled"] as const,
        };
        const webhook = await client.webhooks.create({ ...input, events: [...input.events] });
        expect(webhook).toMatchObject({
          object: "webhook",
          name: "CRM sync",
          secret: expect.stringMatching(/^[0-9a-f]{32}$/),
        });
        await expect(
          client.webhooks.create({ ...input, events: ["booking.canceled"] }),
        ).rejects.toMatchObject({
          code: "INVALID_REQUEST",
          status: 409,
          param: "name",
        });
        const listed = [];
        for await (const item of client.webhooks.list()) listed.push(item.id);
        expect(listed).toContain(webhook.id);
        await expect(client.webhooks.get(webhook.id)).resolves.toMatchObject({
          id: webhook.id,
          url: input.url,
        });
        await expect(client.webhooks.delete(webhook.id)).resolves.toEqual({ id: webhook.id, deleted: true });
        await expect(client.webhooks.get(webhook.id)).resolves.toMatchObject({
          id: webhook.id,
          deleted: true,
        });
        await expect(client.webhooks.page()).resolves.toMatchObject({ data: [], hasMore: false });
      });
    });
  });

  describe("request()", () => {
    it("sends a path relative to the base URL with query and JSON body, and returns the parsed body", async () => {
      await withClient({}, async (client) => {
        const page = await client.request<{ object: string; data: unknown[] }>("get", "bookings", {
          query: { limit: 2 },
        });
        expect(page).toMatchObject({ object: "list" });
        expect(page.data).toHaveLength(2);
        const created = await client.request<{ id: string }>("POST", "/webhooks", {
          body: { name: "raw", url: "https://x.example/h", events: ["booking.completed"] },
          headers: { "X-Trace": "t1" },
        });
        await client.request("DELETE", `/webhooks/${created.id}`);
      });
    });

    it("never sends the key outside the base URL: absolute URLs and .. are refused", async () => {
      const other = await startSandbox({ rateLimit: false });
      try {
        await withClient({}, async (client) => {
          sandbox().requests.clear();
          await expect(client.request("GET", `${other.baseUrl}/test`)).rejects.toMatchObject({
            code: "INSECURE_TRANSPORT",
          });
          await expect(
            client.request("GET", `//127.0.0.1:${new URL(other.url).port}/v2/test`),
          ).rejects.toMatchObject({
            code: "INSECURE_TRANSPORT",
          });
          await expect(client.request("GET", "/../v1/test")).rejects.toMatchObject({
            code: "INSECURE_TRANSPORT",
          });
          await expect(client.request("GET", "/test", { headers: { "api-key": "x" } })).rejects.toThrow(
            TypeError,
          );
          await expect(client.request("G T", "/test")).rejects.toThrow(TypeError);
        });
        expect(other.requests.size).toBe(0);
        expect(sandbox().requests.size).toBe(0);
      } finally {
        await other.close();
      }
    });
  });

  describe("when a call is given something it cannot send", () => {
    it("says what is wrong with a typed error and sends nothing", async () => {
      await withClient({}, async (client) => {
        sandbox().requests.clear();
        const bad: [string, () => Promise<unknown>, RegExp][] = [
          ["TRACE", () => client.request("TRACE", "/test"), /TRACE/],
          ["CONNECT", () => client.request("connect", "/test"), /CONNECT/],
          ["a signal", () => client.test({ signal: {} as AbortSignal }), /signal/],
          ["a query", () => client.request("GET", "/bookings", { query: null as never }), /query/],
          ["headers", () => client.request("GET", "/test", { headers: "x" as never }), /headers/],
          ["a header value", () => client.request("GET", "/test", { headers: { "X-A": 1 as never } }), /X-A/],
          ["a body", () => client.request("POST", "/webhooks", { body: 1n }), /JSON/],
          ["a webhook", () => client.webhooks.create(null as never), /webhook/],
        ];
        for (const [name, call, message] of bad) {
          const error = await call().catch((caught: unknown) => caught);
          expect({ name, error }).toEqual({ name, error: expect.any(TypeError) });
          expect((error as Error).message).toMatch(message);
        }
        expect(sandbox().requests.size).toBe(0);
      });
    });

    it("names a provider that returns something other than an ApiKey", async () => {
      const keys = { name: "homemade", getKey: async () => sandbox().key } as unknown as KeyProvider;
      await withClient({ keys }, async (client) => {
        sandbox().requests.clear();
        const error = await client.test().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toContain("homemade");
        expect((error as Error).message).not.toContain(sandbox().key);
        expect(sandbox().requests.size).toBe(0);
      });
    });
  });

  describe("forTenant()", () => {
    it("validates the tenant at once and uses the tenant's key", async () => {
      const second = sandbox().accounts.create("second@example.com");
      const keys = mutableKeys(sandbox().key);
      keys.set(second.key, "second");
      await withClient({ keys: keys.provider, ...options() }, async (client) => {
        expect(() => client.forTenant("no/slash")).toThrow(
          expect.objectContaining({ code: "INVALID_TENANT" }),
        );
        const tenant = client.forTenant("second");
        expect(tenant.tenant).toBe("second");
        await expect(tenant.test()).resolves.toMatchObject({ account: "second@example.com" });
        await expect(client.test()).resolves.toMatchObject({ account: sandbox().account.email });
        const usage = client.usage();
        expect(usage.map((u) => u.fingerprint).sort()).toEqual(
          [keyFingerprint(sandbox().key), keyFingerprint(second.key)].sort(),
        );
        expect(tenant.usage()).toEqual(usage);
      });
    });

    it("closing a child leaves the pool open; closing the root closes it for every child", async () => {
      const keys = mutableKeys(sandbox().key);
      keys.set(sandbox().key, "acme");
      const root = new OnceHubClient({ keys: keys.provider, ...options() });
      const child = root.forTenant("acme");
      const sibling = root.forTenant("acme");
      await child.close();
      // A closed client never works again by itself: the error is not transient.
      await expect(child.test()).rejects.toMatchObject({ code: "NETWORK", transient: false });
      await expect(sibling.test()).resolves.toMatchObject({ account: sandbox().account.email });
      await expect(root.test()).resolves.toMatchObject({ account: sandbox().account.email });
      await root.close();
      await root.close();
      await expect(sibling.test()).rejects.toMatchObject({
        code: "NETWORK",
        message: expect.stringContaining("closed"),
      });
      await expect(root.test()).rejects.toMatchObject({ code: "NETWORK" });
    });
  });

  describe("events and usage", () => {
    it("reports each request to the listener and the diagnostics channel, with the fingerprint, never the key", async () => {
      const acme = sandbox().accounts.create("acme@example.com");
      const keys = mutableKeys(sandbox().key);
      keys.set(acme.key, "acme");
      const heard: OnceKeyEvent[] = [];
      const published: unknown[] = [];
      const onPublish = (message: unknown): void => void published.push(message);
      diagnostics.subscribe("oncekey:request", onPublish);
      const client = new OnceHubClient({
        keys: keys.provider,
        ...options(),
        onEvent: (event) => heard.push(event),
      });
      try {
        await client
          .forTenant("acme")
          .bookings.get("BKNG-NOPE")
          .catch(() => undefined);
        await client.test();
      } finally {
        diagnostics.unsubscribe("oncekey:request", onPublish);
        await client.close();
      }
      expect(heard.filter((event) => event.type === "request")).toEqual([
        expect.objectContaining({
          type: "request",
          method: "GET",
          path: "/v2/bookings/BKNG-NOPE",
          status: 404,
          attempt: 1,
          tenant: "acme",
          fingerprint: keyFingerprint(acme.key),
          requestId: expect.stringMatching(/^req_/),
        }),
        expect.objectContaining({ type: "request", path: "/v2/test", status: 200 }),
      ]);
      expect(published).toEqual(heard.filter((event) => event.type === "request"));
      const usage = client.usage();
      expect(usage).toEqual([
        expect.objectContaining({
          fingerprint: keyFingerprint(sandbox().key),
          source: "mutable:(single)",
          requests: 1,
          failures: 0,
        }),
        expect.objectContaining({
          fingerprint: keyFingerprint(acme.key),
          source: "mutable:acme",
          requests: 1,
          failures: 1,
        }),
      ]);
      const everything = JSON.stringify([heard, usage]) + inspect(client, { depth: 5 });
      expect(everything).not.toContain(sandbox().key);
      expect(everything).not.toContain(acme.key);
    });
  });

  describe("fromEnvironment()", () => {
    it("reads the base URL, the CA file and the key source from the variables, and owns the provider", async () => {
      const dir = await mkdtemp(join(tmpdir(), "oncekey-client-"));
      let closed = 0;
      const testSource: KeySource = {
        name: "test",
        fromConfig: (config) => {
          const inner: KeyProvider = {
            name: "test",
            getKey: async () => ApiKey.from(config.env.TEST_KEY ?? "", { source: "env:TEST_KEY" }),
            close: async () => void closed++,
          };
          return cached(inner);
        },
      };
      try {
        await writeFile(join(dir, "ca.pem"), sandbox().ca);
        const env = {
          ONCEKEY_SOURCE: "test",
          TEST_KEY: sandbox().key,
          ONCEHUB_BASE_URL: sandbox().baseUrl,
          ONCEKEY_CA_FILE: join(dir, "ca.pem"),
        };
        const client = OnceHubClient.fromEnvironment({ sources: [testSource], env, pacing: false });
        expect(client.baseUrl).toBe(sandbox().baseUrl);
        await expect(client.test()).resolves.toMatchObject({ account: sandbox().account.email });
        await client.close();
        expect(closed).toBe(1);
        expect(() =>
          OnceHubClient.fromEnvironment({
            sources: [testSource],
            env: { ...env, ONCEHUB_BASE_URL: `${sandbox().plainUrl}/v2` },
          }),
        ).toThrow(expect.objectContaining({ code: "CONFIG", variable: "ONCEHUB_BASE_URL" }));
        expect(() =>
          OnceHubClient.fromEnvironment({ sources: [testSource], env: { ...env, ONCEKEY_SOURCE: "vault" } }),
        ).toThrow(expect.objectContaining({ code: "CONFIG", variable: "ONCEKEY_SOURCE" }));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
