import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import {
  eventLog,
  rejectionOf,
  showsKey,
  startHttpsServer,
  type TestHttpsServer,
} from "@oncekey/test-support";
import { OnceHubClient } from "../../src/index.js";
import { mutableKeys } from "../transport/mutable-keys.js";

// Two keys with no run of characters in common, so that redacting one cannot hide the other by chance.
const FIRST = `canaryOhk_${randomBytes(18).toString("base64url")}`;
const SECOND = `other-${randomBytes(18).toString("hex")}`;

/**
 * `/v2/move` redirects (same origin) to a path holding the key it received; every other path answers 401 and
 * echoes its own path, which after the redirect holds the first key, also when the second key asks for it.
 */
let server: TestHttpsServer;
beforeAll(async () => {
  server = await startHttpsServer((req, res) => {
    const path = new URL(req.url ?? "/", "https://x").pathname;
    if (path === "/v2/move") {
      res.writeHead(307, { location: `/v2/moved/${encodeURIComponent(String(req.headers["api-key"]))}` });
      res.end();
      return;
    }
    res.writeHead(401, { "content-type": "application/json", "request-id": `req_${path.slice(-30)}` });
    res.end(JSON.stringify({ type: "authentication_error", message: `Invalid API key for ${path}` }));
  });
});
afterAll(() => server.close());

describe("a call that was redirected with one key and replayed with another", () => {
  it("redacts both keys from its error and from every event", async () => {
    const keys = mutableKeys(FIRST);
    const log = eventLog();
    const client = new OnceHubClient({
      keys: keys.provider,
      baseUrl: server.baseUrl,
      ca: server.ca,
      pacing: false,
      onEvent: log.onEvent,
    });
    try {
      const rejected = client.request("GET", "/move");
      // The first 401 makes the client read the key again: the source now serves the second key.
      keys.set(SECOND);
      const error = await rejectionOf(rejected);
      expect(error).toMatchObject({ code: "AUTHENTICATION" });
      expect(log.ofType("request").map((event) => event.fingerprint)).toHaveLength(3);
      expect(showsKey(FIRST, error, log.events)).toBe(false);
      expect(showsKey(SECOND, error, log.events)).toBe(false);
    } finally {
      await client.close();
    }
  });
});
