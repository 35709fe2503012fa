import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startSandbox, type Sandbox } from "@oncekey/sandbox";
import {
  eventLog,
  rejectionOf,
  startHttpsServer,
  type TestHttpsServer,
  withClient,
} from "@oncekey/test-support";
import { staticKey } from "../../src/index.js";

/** An error body whose fields try to write their own log lines and terminal colours. */
const FORGED = {
  type: "invalid_request_error\r\n[INFO] forged",
  message: "Out of range\r\n2026-12-04T00:00:00Z [ADMIN] granted\u001b[31m red\u2028sep\u202Eevil",
  param: "limit\nx",
};

let server: TestHttpsServer;
let sandbox: Sandbox;
beforeAll(async () => {
  server = await startHttpsServer((_req, res) => {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify(FORGED));
  });
  sandbox = await startSandbox({ rateLimit: false });
});
afterAll(async () => {
  await server.close();
  await sandbox.close();
});

describe("OnceHub's error text", () => {
  it("reaches messages and fields without control characters, line breaks or bidirectional overrides", async () => {
    const log = eventLog();
    const error = await withClient(
      {
        keys: staticKey("sk-text-0123456789abcdef"),
        baseUrl: server.baseUrl,
        ca: server.ca,
        retry: false,
        onEvent: log.onEvent,
      },
      (client) => rejectionOf(client.request("GET", "/anything")),
    );
    const { message, type, param } = error as { message: string; type: string; param: string };
    for (const text of [message, type, param]) {
      expect(text).not.toMatch(/[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u);
    }
    expect(message).toContain("Out of range 2026-12-04T00:00:00Z [ADMIN] granted [31m red sep evil");
    expect(type).toBe("invalid_request_error [INFO] forged");
    expect(param).toBe("limit x");
  });
});

describe("a base URL without the API version", () => {
  it("says so on the 404, and the message ends with one period", async () => {
    const error = await withClient(
      { keys: staticKey(sandbox.key), baseUrl: sandbox.url, ca: sandbox.ca, retry: false },
      (client) => rejectionOf(client.test()),
    );
    expect(error).toMatchObject({ code: "INVALID_REQUEST", status: 404 });
    const message = (error as Error).message;
    expect(message).toContain(
      "names no API version: OnceHub's API base is https://api.oncehub.com/v2, with /v2.",
    );
    expect(message).not.toContain("..");
  });
});
