import { describe, expect, it, jest } from "@jest/globals";
import fc from "fast-check";
import { toPage } from "../src/client/list-page.js";
import { ApiKey } from "../src/index.js";
import { apiErrorFromResponse } from "../src/transport/api-error-from-response.js";
import { followRedirect } from "../src/transport/follow-redirect.js";
import { classifyNetworkFailure } from "../src/transport/network-failure.js";
import { RESPONSE_TOO_LARGE } from "../src/transport/exchange.js";
import { parseRetryAfter } from "../src/transport/parse-retry-after.js";
import { requestTarget } from "../src/transport/request-target.js";
import { backoffDelay, resolveRetryPolicy } from "../src/transport/retry-policy.js";
import { UsageTracker } from "../src/transport/key-usage.js";

const RAW = "ohk_live_0123456789abcdefghij";

describe(parseRetryAfter.name, () => {
  it("reads delta seconds and HTTP dates", () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(parseRetryAfter("2", now)).toBe(2_000);
    expect(parseRetryAfter(["0"], now)).toBe(0);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:03 GMT", now)).toBe(3_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
  });

  it("ignores what is absent or unreadable", () => {
    for (const value of [undefined, "", "soon", "1.5", "-1", "Monday"])
      expect(parseRetryAfter(value, 0)).toBeUndefined();
  });
});

describe(backoffDelay.name, () => {
  it("stays below the doubling ceiling and the cap (full jitter)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 1, max: 40 }),
        (base, max, retry) => {
          const policy = resolveRetryPolicy({ baseDelayMs: base, maxDelayMs: max });
          const delay = backoffDelay(policy, retry);
          const ceiling = Math.min(max, base * 2 ** (retry - 1));
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay <= ceiling && (ceiling === 0 || delay < ceiling)).toBe(true);
        },
      ),
    );
  });

  it("refuses impossible retry options", () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(expect.objectContaining({ code: "CONFIG" }));
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(
      expect.objectContaining({ code: "CONFIG" }),
    );
    expect(resolveRetryPolicy(false).maxAttempts).toBe(1);
  });
});

describe(requestTarget.name, () => {
  describe("when the path is relative to the base URL", () => {
    it("joins it to the base path and appends the query", () => {
      expect(requestTarget("/v2", "/test", undefined)).toBe("/v2/test");
      expect(requestTarget("/v2", "bookings", { limit: 5, after: undefined, status: "scheduled" })).toBe(
        "/v2/bookings?limit=5&status=scheduled",
      );
      expect(requestTarget("", "/webhooks", { tag: ["a", "b"], ok: true })).toBe(
        "/webhooks?tag=a&tag=b&ok=true",
      );
      expect(requestTarget("/v2", "/bookings?limit=1", { after: "B 1&x" })).toBe(
        "/v2/bookings?limit=1&after=B+1%26x",
      );
    });
  });

  describe("when the path could leave the base URL", () => {
    it.each([
      "https://evil.example/v2/test",
      "http://127.0.0.1/x",
      "//evil.example/test",
      "/../admin",
      "/bookings/../../x",
      "/%2e%2e/x",
      "/a\\b",
      "/test#frag",
      "/te st",
      "/a\r\nHost: x",
      "javascript:alert(1)",
    ])("refuses %j with INSECURE_TRANSPORT", (path) => {
      expect(() => requestTarget("/v2", path, undefined)).toThrow(
        expect.objectContaining({ code: "INSECURE_TRANSPORT" }),
      );
    });
  });
});

describe(followRedirect.name, () => {
  const current = { method: "POST", target: "/v2/webhooks", body: "{}" };

  it("follows a same-origin redirect, as fetch would", () => {
    expect(
      followRedirect("https://api.test", 307, "/v2/w2", current, 0, "POST /v2/webhooks", undefined),
    ).toEqual({
      method: "POST",
      target: "/v2/w2",
      body: "{}",
    });
    expect(
      followRedirect("https://api.test", 303, "https://api.test/v2/x?y=1", current, 0, "w", undefined),
    ).toEqual({
      method: "GET",
      target: "/v2/x?y=1",
      body: undefined,
    });
  });

  it("refuses another origin, a downgrade to http and too many hops", () => {
    for (const location of ["https://other.test/v2", "http://api.test/v2", "https://api.test:8443/v2"]) {
      expect(() => followRedirect("https://api.test", 302, location, current, 0, "w", "req_1")).toThrow(
        expect.objectContaining({ code: "INSECURE_TRANSPORT" }),
      );
    }
    expect(() => followRedirect("https://api.test", 302, "/v2/x", current, 3, "w", undefined)).toThrow(
      expect.objectContaining({ code: "API_ERROR" }),
    );
    expect(() => followRedirect("https://api.test", 302, undefined, current, 0, "w", undefined)).toThrow(
      expect.objectContaining({ code: "API_ERROR" }),
    );
  });
});

describe(apiErrorFromResponse.name, () => {
  const key = ApiKey.from(RAW, { source: "env:ONCEHUB_API_KEY" });
  const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

  it("maps each status to its class with OnceHub's type, message, param and Request-Id", () => {
    const common = { requestId: "req_1", what: "GET /v2/x", tenant: "acme", key };
    expect(
      apiErrorFromResponse({
        ...common,
        status: 404,
        body: body({ type: "invalid_request_error", message: "No such booking: 'x'", param: "id" }),
      }),
    ).toMatchObject({
      code: "INVALID_REQUEST",
      status: 404,
      type: "invalid_request_error",
      param: "id",
      requestId: "req_1",
      tenant: "acme",
    });
    expect(
      apiErrorFromResponse({ ...common, status: 429, body: undefined, retryAfterMs: 1000 }),
    ).toMatchObject({
      code: "RATE_LIMIT",
      retryAfterMs: 1000,
    });
    expect(apiErrorFromResponse({ ...common, status: 503, body: Buffer.from("<html>") })).toMatchObject({
      code: "API_ERROR",
      status: 503,
    });
    const denied = apiErrorFromResponse({
      ...common,
      status: 403,
      body: body({ type: "authentication_error", message: "plan" }),
    });
    expect(denied).toMatchObject({ code: "AUTHENTICATION", status: 403, fingerprint: key.fingerprint });
    expect(denied.message).toContain("not retried");
  });

  it("names the key's fingerprint and source on a 401, never the key, even when the server echoes it", () => {
    const error = apiErrorFromResponse({
      status: 401,
      body: body({ type: "authentication_error", message: `Invalid API key ${RAW}.` }),
      requestId: "req_9",
      what: "GET /v2/test",
      tenant: undefined,
      key,
    });
    expect(error).toMatchObject({
      code: "AUTHENTICATION",
      fingerprint: key.fingerprint,
      source: "env:ONCEHUB_API_KEY",
    });
    expect(error.message).toContain(key.fingerprint);
    expect(error.message).toContain("env:ONCEHUB_API_KEY");
    expect(error.message).toContain("req_9");
    expect(`${error.message} ${JSON.stringify(error)} ${error.stack ?? ""}`).not.toContain(RAW);
  });
});

describe(classifyNetworkFailure.name, () => {
  const failure = (code: string, started: boolean) =>
    classifyNetworkFailure(
      Object.assign(new Error(code), { code }),
      started,
      "POST /v2/webhooks",
      "https://api.test",
    );

  it("tells connect failures (never reached) from failures after sending", () => {
    expect(failure("ECONNREFUSED", false)).toMatchObject({
      transient: true,
      mayHaveReached: false,
      error: { code: "NETWORK" },
    });
    expect(failure("ECONNRESET", true)).toMatchObject({ transient: true, mayHaveReached: true });
    expect(failure("ECONNRESET", false)).toMatchObject({ mayHaveReached: false });
  });

  it("maps undici timeouts to TimeoutError with their phase", () => {
    expect(failure("UND_ERR_CONNECT_TIMEOUT", false)).toMatchObject({
      mayHaveReached: false,
      error: { code: "TIMEOUT", phase: "connect" },
    });
    expect(failure("UND_ERR_HEADERS_TIMEOUT", true)).toMatchObject({
      mayHaveReached: true,
      error: { phase: "headers" },
    });
    expect(failure("UND_ERR_BODY_TIMEOUT", true)).toMatchObject({ error: { phase: "body" } });
  });

  it("does not retry an answer too large to hold: the next one would be too", () => {
    const tooLarge = failure(RESPONSE_TOO_LARGE, true);
    expect(tooLarge).toMatchObject({ transient: false, error: { code: "NETWORK" } });
    expect(tooLarge.error.message).toContain("POST /v2/webhooks");
  });

  it("does not retry a refused certificate and says how to trust a private CA", () => {
    const tls = failure("SELF_SIGNED_CERT_IN_CHAIN", false);
    expect(tls.transient).toBe(false);
    expect(tls.error.message).toContain("`ca`");
  });
});

describe(toPage.name, () => {
  const items = (...ids: string[]) => ({ object: "list", data: ids.map((id) => ({ id })), has_more: true });

  it("gives the cursors of a forward page", () => {
    expect(toPage(items("a", "b"), { limit: 2 })).toMatchObject({
      hasMore: true,
      nextCursor: "b",
      previousCursor: undefined,
    });
    expect(toPage(items("c", "d"), { limit: 2, after: "b" })).toMatchObject({
      nextCursor: "d",
      previousCursor: "c",
    });
    expect(toPage({ data: [{ id: "e" }], has_more: false }, { after: "d" })).toMatchObject({
      hasMore: false,
      nextCursor: undefined,
    });
  });

  it("gives the cursors of a backward page", () => {
    expect(toPage(items("a", "b"), { before: "c" })).toMatchObject({ nextCursor: "b", previousCursor: "a" });
    expect(toPage({ data: [{ id: "a" }], has_more: false }, { before: "b" })).toMatchObject({
      previousCursor: undefined,
    });
  });

  it("reads a full page without has_more as possibly more", () => {
    expect(toPage({ data: [{ id: "a" }, { id: "b" }] }, { limit: 2 }).hasMore).toBe(true);
    expect(toPage({ data: [{ id: "a" }] }, { limit: 2 }).hasMore).toBe(false);
    expect(toPage(null, {})).toMatchObject({ data: [], hasMore: false });
  });
});

describe(UsageTracker.name, () => {
  describe("when keys are used within the same millisecond", () => {
    it("still lists the most recently used first", () => {
      const now = jest.spyOn(Date, "now").mockReturnValue(1_700_000_000_000);
      try {
        const usage = new UsageTracker();
        const [a, b] = ["key-aaaaaaaa", "key-bbbbbbbb"].map((raw) => ApiKey.from(raw, { source: raw }));
        usage.record(a as ApiKey, 200);
        usage.record(b as ApiKey, 200);
        expect(usage.snapshot().map((u) => u.source)).toEqual(["key-bbbbbbbb", "key-aaaaaaaa"]);
        usage.record(a as ApiKey, 404);
        expect(usage.snapshot().map((u) => u.source)).toEqual(["key-aaaaaaaa", "key-bbbbbbbb"]);
        expect(usage.snapshot()[0]).toMatchObject({
          requests: 2,
          failures: 1,
          lastUsedAt: 1_700_000_000_000,
        });
      } finally {
        now.mockRestore();
      }
    });
  });
});
