import { createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { keyFingerprint, startSandbox } from "@oncekey/sandbox";
import { OnceHubClient, type OnceHubClientOptions, type OnceKeyEvent, staticKey } from "../src/index.js";
import { mutableKeys } from "./transport/mutable-keys.js";
import { sandboxClientOptions, useSandbox, withClient } from "@oncekey/test-support";

const sandbox = useSandbox();
let client: OnceHubClient;
let events: OnceKeyEvent[];

/** The sandbox's default client, reporting its events to `events`; `extra` overrides any option. */
function clientOptions(extra: Partial<OnceHubClientOptions> = {}): OnceHubClientOptions {
  return sandboxClientOptions(sandbox(), { onEvent: (event) => events.push(event), ...extra });
}

beforeEach(() => {
  events = [];
  sandbox().requests.clear();
  client = new OnceHubClient(clientOptions());
});

afterEach(async () => {
  sandbox().faults.clear();
  await client.close();
});

const webhookInput = (name: string) => ({
  name,
  url: "https://hooks.example.com/x",
  events: ["booking.scheduled"],
});
const retries = () => events.filter((event) => event.type === "retry");

describe("OnceHubClient against the sandbox's faults", () => {
  describe("when OnceHub answers 5xx", () => {
    it("retries a GET with backoff until it succeeds", async () => {
      sandbox().faults.inject({ kind: "status", status: 503, times: 2 });
      await expect(client.test()).resolves.toMatchObject({ account: sandbox().account.email });
      expect(
        sandbox()
          .requests.all()
          .map((r) => r.status),
      ).toEqual([503, 503, 200]);
      expect(retries()).toEqual([
        expect.objectContaining({ method: "GET", path: "/v2/test", attempt: 1, reason: "503" }),
        expect.objectContaining({ attempt: 2, reason: "503" }),
      ]);
    });

    it("gives up after maxAttempts with an ApiError carrying the Request-Id", async () => {
      sandbox().faults.inject({ kind: "status", status: 500, times: Infinity });
      await expect(client.test()).rejects.toMatchObject({
        code: "API_ERROR",
        status: 500,
        type: "api_error",
        requestId: sandbox().requests.last()?.requestId ?? expect.stringMatching(/^req_/),
      });
      expect(sandbox().requests.size).toBe(3);
    });

    it("never sends a POST that reached OnceHub twice", async () => {
      sandbox().faults.inject({ kind: "status", status: 503, method: "POST" });
      await expect(client.webhooks.create(webhookInput("once"))).rejects.toMatchObject({
        code: "API_ERROR",
        status: 503,
      });
      expect(sandbox().requests.count({ method: "POST" })).toBe(1);
      expect(retries()).toEqual([]);
    });

    it("retries an idempotent DELETE", async () => {
      const webhook = await client.webhooks.create(webhookInput("delete-me"));
      sandbox().faults.inject({ kind: "status", status: 502, method: "DELETE" });
      await expect(client.webhooks.delete(webhook.id)).resolves.toMatchObject({ deleted: true });
      expect(sandbox().requests.count({ method: "DELETE" })).toBe(2);
    });

    it("honours a Retry-After sent with a 503", async () => {
      sandbox().faults.inject({ kind: "status", status: 503, retryAfter: 1 });
      await expect(client.test()).resolves.toMatchObject({ account: sandbox().account.email });
      expect(retries()).toEqual([expect.objectContaining({ reason: "503", delayMs: 1_000 })]);
    });

    it("does not retry a 501", async () => {
      sandbox().faults.inject({ kind: "status", status: 501 });
      await expect(client.test()).rejects.toMatchObject({ code: "API_ERROR", status: 501 });
      expect(sandbox().requests.size).toBe(1);
    });
  });

  describe("when OnceHub answers 429", () => {
    it("waits as long as Retry-After says, and retries even a POST (OnceHub refused it unprocessed)", async () => {
      sandbox().faults.inject({ kind: "status", status: 429, retryAfter: 1, method: "POST" });
      const webhook = await client.webhooks.create(webhookInput("after-429"));
      expect(webhook.name).toBe("after-429");
      expect(
        sandbox()
          .requests.all()
          .map((r) => [r.method, r.status]),
      ).toEqual([
        ["POST", 429],
        ["POST", 200],
      ]);
      expect(retries()).toEqual([expect.objectContaining({ reason: "429", delayMs: 1_000 })]);
      const names = [];
      for await (const item of client.webhooks.list()) names.push(item.name);
      expect(names.filter((name) => name === "after-429")).toHaveLength(1);
    });

    it("ends in a RateLimitError with the wait OnceHub asked for", async () => {
      sandbox().faults.inject({ kind: "status", status: 429, retryAfter: 0, times: Infinity });
      await expect(client.test()).rejects.toMatchObject({
        code: "RATE_LIMIT",
        status: 429,
        type: "rate_limit_error",
        retryAfterMs: 0,
      });
      expect(sandbox().requests.size).toBe(3);
      expect(client.usage()[0]).toMatchObject({ rateLimited: 3, failures: 3 });
    });

    it("gives up at once when Retry-After is beyond the time budget", async () => {
      await withClient(clientOptions({ retry: { maxElapsedMs: 500 } }), async (budget) => {
        sandbox().faults.inject({ kind: "status", status: 429, retryAfter: 60 });
        await expect(budget.test()).rejects.toMatchObject({ code: "RATE_LIMIT", retryAfterMs: 60_000 });
        expect(sandbox().requests.size).toBe(1);
      });
    });
  });

  describe("when OnceHub refuses the request itself", () => {
    it("maps 4xx to InvalidRequestError with OnceHub's param and does not retry", async () => {
      sandbox().faults.inject({
        kind: "status",
        status: 400,
        body: { type: "invalid_request_error", message: "Out of range value: 500.", param: "limit" },
      });
      await expect(client.bookings.page({ limit: 50 })).rejects.toMatchObject({
        code: "INVALID_REQUEST",
        status: 400,
        param: "limit",
        message: expect.stringContaining("Out of range value: 500 (param: limit)."),
      });
      expect(sandbox().requests.size).toBe(1);
    });

    it("maps 403 (plan without API access) to AuthenticationError, never retried nor refetched", async () => {
      const denied = sandbox().accounts.create("no-plan@example.com", { apiAccess: false });
      const keys = mutableKeys(denied.key);
      await withClient(clientOptions({ keys: keys.provider }), async (planless) => {
        await expect(planless.test()).rejects.toMatchObject({
          code: "AUTHENTICATION",
          status: 403,
          fingerprint: keyFingerprint(denied.key),
          message: expect.stringContaining("plan"),
        });
        expect(sandbox().requests.size).toBe(1);
        expect(keys.reads()).toBe(1);
      });
    });

    it("treats an injected 401 as a rejected key: one refetch, no replay with the same key", async () => {
      const keys = mutableKeys(sandbox().key);
      await withClient(clientOptions({ keys: keys.provider }), async (rejecting) => {
        sandbox().faults.inject({ kind: "status", status: 401 });
        await expect(rejecting.test()).rejects.toMatchObject({ code: "AUTHENTICATION", status: 401 });
        expect(keys.reads()).toBe(2);
        expect(sandbox().requests.size).toBe(1);
      });
    });
  });

  describe("when the connection is reset", () => {
    it("retries a GET", async () => {
      sandbox().faults.inject({ kind: "reset" });
      await expect(client.test()).resolves.toMatchObject({ account: sandbox().account.email });
      expect(
        sandbox()
          .requests.all()
          .map((r) => r.fault),
      ).toEqual(["reset", null]);
    });

    it("does not resend a POST that may have been processed", async () => {
      sandbox().faults.inject({ kind: "reset", method: "POST" });
      await expect(client.webhooks.create(webhookInput("reset"))).rejects.toMatchObject({ code: "NETWORK" });
      expect(sandbox().requests.count({ method: "POST" })).toBe(1);
      expect(events.filter((e) => e.type === "request")).toEqual([
        expect.objectContaining({ status: 0, errorCode: expect.any(String) }),
      ]);
    });
  });

  // undici checks the headers timeout on a clock that ticks about every half second, and later on a loaded
  // machine: a 100 ms timeout fires after 0.5-1 s or more. The delays below leave it ten seconds (the sandbox
  // cancels a held answer when it closes, so they cost no test time).
  describe("when OnceHub is slow", () => {
    it("maps a late answer to a TimeoutError in the headers phase", async () => {
      await withClient(clientOptions({ retry: false, timeouts: { headersMs: 100 } }), async (impatient) => {
        sandbox().faults.inject({ kind: "delay", ms: 10_000 });
        await expect(impatient.test()).rejects.toMatchObject({ code: "TIMEOUT", phase: "headers" });
      });
    });

    it("maps a stalled body to a TimeoutError in the body phase", async () => {
      await withClient(clientOptions({ retry: false, timeouts: { bodyMs: 100 } }), async (impatient) => {
        // Ten pieces, ten seconds apart: far more than the body timeout takes to fire on undici's clock.
        sandbox().faults.inject({ kind: "slow-body", ms: 100_000 });
        await expect(impatient.test()).rejects.toMatchObject({ code: "TIMEOUT", phase: "body" });
      });
    });

    it("does not resend a POST whose answer timed out: OnceHub may have processed it", async () => {
      await withClient(clientOptions({ timeouts: { headersMs: 100 } }), async (impatient) => {
        sandbox().faults.inject({ kind: "delay", ms: 10_000, method: "POST" });
        await expect(impatient.webhooks.create(webhookInput("slow-post"))).rejects.toMatchObject({
          code: "TIMEOUT",
          phase: "headers",
        });
        // The sandbox still holds the POST (it logs a request once it answers it); a resend, not delayed, would
        // have been answered and logged before the call failed.
        expect(sandbox().requests.count({ method: "POST" })).toBe(0);
        expect(retries()).toEqual([]);
      });
    });

    it("retries a timed-out GET", async () => {
      await withClient(clientOptions({ timeouts: { headersMs: 100 } }), async (impatient) => {
        sandbox().faults.inject({ kind: "delay", ms: 10_000 });
        await expect(impatient.test()).resolves.toMatchObject({ account: sandbox().account.email });
        expect(retries()).toEqual([expect.objectContaining({ reason: "TIMEOUT" })]);
      });
    });
  });

  describe("when OnceHub redirects", () => {
    it("refuses a redirect to the plain-HTTP listener: the key never travels in clear", async () => {
      sandbox().faults.inject({ kind: "redirect" });
      await expect(client.test()).rejects.toMatchObject({
        code: "INSECURE_TRANSPORT",
        message: expect.stringContaining("not followed"),
      });
      expect(sandbox().requests.count({ plain: true })).toBe(0);
    });

    it("refuses a redirect to another https origin: it never gets the key", async () => {
      const other = await startSandbox({ rateLimit: false });
      try {
        sandbox().faults.inject({ kind: "redirect", status: 302, location: `${other.baseUrl}/test` });
        await expect(client.test()).rejects.toMatchObject({ code: "INSECURE_TRANSPORT" });
        expect(other.requests.size).toBe(0);
      } finally {
        await other.close();
      }
    });

    it("follows a redirect within the origin, with the key", async () => {
      sandbox().faults.inject({
        kind: "redirect",
        status: 308,
        path: "/v2/old-test",
        location: `${sandbox().baseUrl}/test`,
      });
      await expect(client.request("GET", "/old-test")).resolves.toMatchObject({
        message: expect.stringContaining("valid"),
      });
      expect(
        sandbox()
          .requests.all()
          .map((r) => [r.path, r.status, r.fingerprint]),
      ).toEqual([
        ["/v2/old-test", 308, keyFingerprint(sandbox().key)],
        ["/v2/test", 200, keyFingerprint(sandbox().key)],
      ]);
    });

    it("stops after a few redirects", async () => {
      sandbox().faults.inject({
        kind: "redirect",
        status: 307,
        path: "/v2/test",
        location: `${sandbox().baseUrl}/test`,
        times: 10,
      });
      await expect(client.test()).rejects.toMatchObject({
        code: "API_ERROR",
        message: expect.stringContaining("redirected"),
      });
      expect(sandbox().requests.size).toBe(4);
    });
  });

  describe("when the call is aborted", () => {
    it("rejects at once with the signal's reason, before any request for an aborted signal", async () => {
      const reason = new Error("stop");
      await expect(client.test({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      expect(sandbox().requests.size).toBe(0);
    });

    it("cancels an exchange in flight", async () => {
      sandbox().faults.inject({ kind: "delay", ms: 5_000 });
      const controller = new AbortController();
      const call = client.test({ signal: controller.signal });
      setTimeout(() => controller.abort(new Error("user gave up")), 50);
      await expect(call).rejects.toThrow("user gave up");
    });

    it("cancels the wait before a retry", async () => {
      const controller = new AbortController();
      const patient = new OnceHubClient(
        clientOptions({
          retry: { maxElapsedMs: 120_000 },
          onEvent: (event) => {
            if (event.type === "retry") controller.abort(new Error("shutdown"));
          },
        }),
      );
      try {
        sandbox().faults.inject({ kind: "status", status: 429, retryAfter: 30, times: Infinity });
        const call = patient.test({ signal: controller.signal });
        await expect(call).rejects.toThrow("shutdown");
        expect(sandbox().requests.size).toBe(1);
      } finally {
        await patient.close();
      }
    });

    it("cancels the wait for pacing", async () => {
      const controller = new AbortController();
      const paced = new OnceHubClient(
        clientOptions({
          pacing: { requestsPerSecond: 0.5, burst: 1 },
          onEvent: (event) => {
            if (event.type === "paced") controller.abort(new Error("no time"));
          },
        }),
      );
      try {
        await paced.test();
        const call = paced.test({ signal: controller.signal });
        await expect(call).rejects.toThrow("no time");
        expect(sandbox().requests.size).toBe(1);
      } finally {
        await paced.close();
      }
    });
  });
});

describe("OnceHubClient closed while a call waits", () => {
  /** A client that closes itself when it reports `type`, the moment the call starts waiting. */
  function closingOn(type: OnceKeyEvent["type"], extra: Partial<OnceHubClientOptions>): OnceHubClient {
    const closing: OnceHubClient = new OnceHubClient(
      clientOptions({
        ...extra,
        onEvent: (event) => {
          if (event.type === type) void closing.close();
        },
      }),
    );
    return closing;
  }

  it("ends a call queued for pacing with a NetworkError instead of holding it for the next token", async () => {
    // A 10 s wait: within the call's deadline (timeouts.totalMs, 60 s), so it queues rather than being refused.
    const paced = closingOn("paced", { pacing: { requestsPerSecond: 0.1, burst: 1 } });
    await paced.test();
    await expect(paced.test()).rejects.toMatchObject({
      code: "NETWORK",
      message: expect.stringContaining("closed"),
    });
  });

  it("ends a call waiting to retry", async () => {
    const patient = closingOn("retry", { retry: { maxElapsedMs: 120_000 }, timeouts: { totalMs: 120_000 } });
    sandbox().faults.inject({ kind: "status", status: 429, retryAfter: 60 });
    await expect(patient.test()).rejects.toMatchObject({ code: "NETWORK" });
    expect(sandbox().requests.size).toBe(1);
  });

  it("ends a call waiting for a new key after a rejection", async () => {
    const account = sandbox().accounts.create("closed-while-waiting@example.com");
    sandbox().keys.delete(account.key);
    const waiting = closingOn("key:rejected", {
      keys: staticKey(account.key),
      rotation: { waitForNewKeyMs: 120_000 },
    });
    await expect(waiting.test()).rejects.toMatchObject({ code: "NETWORK" });
  });
});

describe("OnceHubClient connection failures", () => {
  let blackhole: Server;
  const sockets = new Set<Socket>();
  let accepted = 0;

  beforeAll(async () => {
    // Accepts TCP connections and never answers the TLS handshake.
    blackhole = createServer((socket) => {
      accepted++;
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => blackhole.listen(0, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
  });

  const port = () => (blackhole.address() as { port: number }).port;

  it("maps a connect timeout to TimeoutError(connect) and retries even a POST, which never left", async () => {
    accepted = 0;
    await withClient(
      clientOptions({
        baseUrl: `https://127.0.0.1:${port()}/v2`,
        timeouts: { connectMs: 100 },
        retry: { maxAttempts: 2, baseDelayMs: 1 },
      }),
      async (stuck) => {
        await expect(stuck.webhooks.create(webhookInput("never"))).rejects.toMatchObject({
          code: "TIMEOUT",
          phase: "connect",
        });
        expect(accepted).toBe(2);
      },
    );
  });

  it("maps a refused connection to NetworkError after the retries", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port: freePort } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    await withClient(clientOptions({ baseUrl: `https://127.0.0.1:${freePort}/v2` }), async (refused) => {
      await expect(refused.webhooks.create(webhookInput("refused"))).rejects.toMatchObject({
        code: "NETWORK",
        message: expect.stringContaining("ECONNREFUSED"),
      });
      expect(events.filter((e) => e.type === "request")).toHaveLength(3);
    });
  });

  it("does not let paced requests that never reached a socket hold back the key's next ones", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port: freePort } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const options = clientOptions({
      baseUrl: `https://127.0.0.1:${freePort}/v2`,
      pacing: { requestsPerSecond: 50, burst: 1 },
      retry: { maxAttempts: 3, baseDelayMs: 1 },
    });
    await withClient(options, async (refused) => {
      const calls = Array.from({ length: 3 }, () => refused.test());
      const outcomes = await Promise.allSettled(calls);
      expect(
        outcomes.map((o) => (o.status === "rejected" ? (o.reason as { code: string }).code : o)),
      ).toEqual(["NETWORK", "NETWORK", "NETWORK"]);
      expect(events.filter((e) => e.type === "request")).toHaveLength(9);
    });
  });

  it("refuses a certificate it cannot verify once, and says how to trust a private CA", async () => {
    await withClient(clientOptions({ ca: undefined as unknown as string }), async (untrusting) => {
      await expect(untrusting.test()).rejects.toMatchObject({
        code: "NETWORK",
        message: expect.stringContaining("`ca`"),
      });
      expect(events.filter((e) => e.type === "request")).toHaveLength(1);
      expect(sandbox().requests.size).toBe(0);
    });
  });
});
