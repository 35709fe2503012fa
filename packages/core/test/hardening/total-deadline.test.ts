import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { rejectionOf, startHttpsServer, type TestHttpsServer, withClient } from "@oncekey/test-support";
import { staticKey, type OnceHubClientOptions } from "../../src/index.js";

const KEY = "sk-deadline-0123456789abcdef0123";

/**
 * `/v2/trickle` answers 200 and then one byte every 100 ms, well inside any body timeout, forever.
 * `/v2/big` answers 200 with 12 MiB, below the per-answer cap. `/v2/bookings` is a list whose cursors alternate.
 * `/v2/unavailable` answers 503 with `Retry-After: 30`.
 */
let server: TestHttpsServer;
const trickles = new Set<NodeJS.Timeout>();
const waiting: ServerResponse[] = [];
let bigCallers = 1;
let unavailable = 0;
beforeAll(async () => {
  const big = Buffer.from(JSON.stringify("x".repeat(12 * 1024 * 1024 - 2)));
  server = await startHttpsServer((req, res) => {
    const url = new URL(req.url ?? "/", "https://x");
    if (url.pathname === "/v2/trickle") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      const timer = setInterval(() => res.write(" "), 100);
      trickles.add(timer);
      res.on("close", () => {
        clearInterval(timer);
        trickles.delete(timer);
      });
      return;
    }
    if (url.pathname === "/v2/big") {
      // All of each answer but its last byte goes at once; the last bytes go once every answer's bulk has left
      // the server (its write buffer drained), so the client holds them all at the same time.
      res.writeHead(200, { "content-type": "application/json" });
      let counted = false;
      const drained = (): void => {
        if (counted) return;
        counted = true;
        waiting.push(res);
        if (waiting.length >= bigCallers) for (const held of waiting.splice(0)) held.end(big.subarray(-1));
      };
      // An answer the client dropped counts as delivered: its socket is gone.
      res.once("close", drained);
      if (res.write(big.subarray(0, -1))) drained();
      else res.once("drain", drained);
      return;
    }
    if (url.pathname === "/v2/bookings") {
      const after = url.searchParams.get("after");
      const id = after === "BKNG-A" ? "BKNG-B" : "BKNG-A";
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id }], has_more: true }));
      return;
    }
    if (url.pathname === "/v2/unavailable") {
      unavailable++;
      res.writeHead(503, { "content-type": "application/json", "retry-after": "30" });
      res.end(JSON.stringify({ type: "api_error", message: "Unavailable" }));
      return;
    }
    res.writeHead(404).end();
  });
});
afterAll(async () => {
  for (const timer of trickles) clearInterval(timer);
  await server.close();
});

const options = (extra: Partial<OnceHubClientOptions> = {}): OnceHubClientOptions => ({
  keys: staticKey(KEY),
  baseUrl: server.baseUrl,
  ca: server.ca,
  pacing: false,
  retry: false,
  ...extra,
});

describe("a call whose answer trickles in just inside the body timeout", () => {
  it("ends at its total deadline with a TimeoutError of phase total", async () => {
    const error = await withClient(options({ timeouts: { totalMs: 600, bodyMs: 5_000 } }), (client) =>
      rejectionOf(client.request("GET", "/trickle")),
    );
    expect(error).toMatchObject({ code: "TIMEOUT", phase: "total" });
    expect((error as Error).message).toContain("did not finish within its deadline (timeouts.totalMs)");
  });

  it("ends when the caller's AbortSignal.timeout fires, with the signal's reason", async () => {
    const error = await withClient(options(), (client) =>
      rejectionOf(client.request("GET", "/trickle", { signal: AbortSignal.timeout(300) })),
    );
    expect(error).toMatchObject({ name: "TimeoutError" });
  });

  it("does not start a retry whose wait would end past the deadline", async () => {
    unavailable = 0;
    const error = await withClient(
      options({
        retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
        timeouts: { totalMs: 500 },
      }),
      (client) => rejectionOf(client.request("GET", "/unavailable")),
    );
    expect(error).toMatchObject({ code: "API_ERROR", status: 503 });
    expect(unavailable).toBe(1);
  });
});

describe("answers in flight", () => {
  it("hold at most 64 MiB together: past it an answer is dropped with a NetworkError saying so", async () => {
    bigCallers = 8;
    const outcomes = await withClient(options({ connections: 16 }), (client) =>
      Promise.all(
        Array.from({ length: 8 }, () =>
          client.request("GET", "/big").then(
            () => "ok",
            (error: { message: string }) => error.message,
          ),
        ),
      ),
    );
    const dropped = outcomes.filter((outcome) => outcome !== "ok");
    expect(dropped.length).toBeGreaterThan(0);
    for (const message of dropped) expect(message).toContain("the answers in flight held more than 64 MiB");
    for (const held of waiting.splice(0)) held.end();
    // Once the answers in flight are done, the budget is free again.
    bigCallers = 1;
    await withClient(options(), (client) => client.request("GET", "/big"));
  });
});

describe("a list whose cursors go round in a cycle", () => {
  it("stops with an ApiError after delivering the pages it read", async () => {
    const seen: string[] = [];
    const error = await withClient(options(), (client) =>
      rejectionOf(
        (async () => {
          for await (const booking of client.bookings.list()) seen.push(booking.id);
        })(),
      ),
    );
    expect(error).toMatchObject({ code: "API_ERROR" });
    expect((error as Error).message).toContain("a cursor it had already sent in this walk");
    expect(seen).toEqual(["BKNG-A", "BKNG-B", "BKNG-A"]);
  });
});
