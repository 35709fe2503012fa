import diagnostics from "node:diagnostics_channel";
import { printedForms } from "@oncekey/sandbox";
import { rejectionOf } from "@oncekey/test-support";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { ApiKey, eventChannelName, OnceHubClient, type OnceKeyEvent, staticKey } from "../src/index.js";
import { PLAIN_REQUEST_ID, startKeyEchoServer, type KeyEchoServer } from "./transport/key-echo-server.js";

/** A key with characters that JSON and URLs escape, and a capital letter a host name lowercases. */
const CANARY = 'canary-ohk/7F3a9c2e+5b1d"4f6a8c0e2b4d6f8a1c3e';
const FINGERPRINT = ApiKey.from(CANARY).fingerprint;
const MARK = `<key ${FINGERPRINT}>`;
/** Every run of 8 characters of the canary: any of them in the output is a leak. */
const RUNS = Array.from({ length: CANARY.length - 7 }, (_, i) => CANARY.slice(i, i + 8).toLowerCase());

const TYPES: OnceKeyEvent["type"][] = ["request", "retry", "key:rejected", "key:invalidated", "key:rotated"];

let server: KeyEchoServer;
let client: OnceHubClient;
const events: unknown[] = [];
const onChannel = (message: unknown): void => void events.push(message);

beforeAll(async () => {
  server = await startKeyEchoServer();
  client = new OnceHubClient({
    keys: staticKey(CANARY),
    baseUrl: server.baseUrl,
    ca: server.ca,
    retry: false,
    pacing: false,
    onEvent: (event) => void events.push(event),
  });
  TYPES.forEach((type) => diagnostics.subscribe(eventChannelName(type), onChannel));
});

afterAll(async () => {
  TYPES.forEach((type) => diagnostics.unsubscribe(eventChannelName(type), onChannel));
  await client.close();
  await server.close();
});

beforeEach(() => {
  events.length = 0;
});

/** Everything a log could print of `value`, lowercased: a run of the key matches in either case. */
function printed(value: unknown): string {
  return printedForms(value).toLowerCase();
}

/** The error `GET path` fails with, after checking that neither it nor any event holds a run of the canary. */
async function failureOf(path: string): Promise<Error & Record<string, unknown>> {
  const error = (await rejectionOf(client.request("GET", path))) as Error & Record<string, unknown>;
  const text = printed([error, ...events]);
  expect(RUNS.filter((run) => text.includes(run))).toEqual([]);
  return error;
}

/** The `requestId` of each event seen since the test began. */
const eventRequestIds = () => events.map((event) => (event as { requestId?: string }).requestId);

describe("OnceHubClient against a server that echoes the key", () => {
  describe("when the error body holds part of the key", () => {
    it("replaces a prefix of it, and keeps the type, fingerprint and Request-Id", async () => {
      const error = await failureOf("/prefix-401");
      expect(error).toMatchObject({
        code: "AUTHENTICATION",
        status: 401,
        type: "authentication_error",
        fingerprint: FINGERPRINT,
        requestId: PLAIN_REQUEST_ID,
      });
      expect(error.message).toContain(`Invalid API key ${MARK}...`);
      expect(error.message).toContain(PLAIN_REQUEST_ID);
      expect(events).toContainEqual(
        expect.objectContaining({ type: "key:rejected", requestId: PLAIN_REQUEST_ID }),
      );
    });

    it("replaces a tail of it", async () => {
      const error = await failureOf("/tail-403");
      expect(error).toMatchObject({ code: "AUTHENTICATION", status: 403, fingerprint: FINGERPRINT });
      expect(error.message).toContain(`Key ****${MARK} has no API access`);
    });

    it("replaces it URL-encoded, in the message and the param", async () => {
      const error = await failureOf("/url-encoded-400");
      expect(error).toMatchObject({ code: "INVALID_REQUEST", status: 400, param: `api_key=${MARK}` });
      expect(error.message).toContain(`?api_key=${MARK} is not allowed`);
    });

    it("replaces it JSON-escaped, and a part of it sent as the type", async () => {
      const error = await failureOf("/json-escaped-422");
      expect(error).toMatchObject({ code: "INVALID_REQUEST", status: 422, type: MARK });
      expect(error.message).toContain(`Could not read {"key":"${MARK}"}`);
    });
  });

  describe("when the Request-Id header holds the key", () => {
    it.each([
      ["/request-id-400", "INVALID_REQUEST", MARK],
      ["/request-id-401", "AUTHENTICATION", MARK],
      ["/request-id-500", "API_ERROR", `req_${MARK}`],
      ["/request-id-200-html", "API_ERROR", MARK],
    ])("redacts it in the error and the events of GET %s", async (path, code, requestId) => {
      const error = await failureOf(path);
      expect(error).toMatchObject({ code, requestId });
      expect(error.message).toContain(`Request-Id ${requestId}.`);
      expect(eventRequestIds().length).toBeGreaterThan(0);
      expect(eventRequestIds().every((id) => id === requestId)).toBe(true);
    });

    it("drops a Request-Id that is not one", async () => {
      const error = await failureOf("/request-id-spaces");
      expect(error).toMatchObject({ code: "INVALID_REQUEST", status: 400 });
      expect(error.requestId).toBeUndefined();
      expect(error.message).not.toContain("Request-Id");
      expect(eventRequestIds()).toEqual([undefined]);
    });
  });

  describe("when a 2xx answer is not JSON", () => {
    it.each(["/text-200", "/unquoted-200"])(
      "keeps no JSON parser error quoting the body of GET %s",
      async (path) => {
        const error = await failureOf(path);
        expect(error).toMatchObject({ code: "API_ERROR", status: 200 });
        expect(error.message).toContain("not JSON");
        expect(error.cause).toBeUndefined();
      },
    );
  });

  describe("when OnceHub redirects to a host named after the key", () => {
    it("refuses the redirect and names the host redacted", async () => {
      const error = await failureOf("/redirect-host");
      expect(error).toMatchObject({ code: "INSECURE_TRANSPORT" });
      expect(error.message).toContain(`redirect to https://${MARK}`);
      expect(error.message).toContain(".evil.example, another origin");
    });
  });

  describe("when OnceHub redirects to a path named after the key", () => {
    it("follows it, and names the path redacted in the error and the events", async () => {
      const error = await failureOf("/redirect-path");
      expect(error).toMatchObject({ code: "INVALID_REQUEST", status: 404 });
      expect(error.message).toContain(`GET /v2/echo/${MARK} with 404`);
      expect(events).toContainEqual(expect.objectContaining({ type: "request", path: `/v2/echo/${MARK}` }));
    });
  });

  describe("when the response cannot be parsed and its bytes hold the key", () => {
    it.each(["/malformed-header", "/malformed-status"])(
      "keeps only the parser error's name, code and message as the cause of GET %s",
      async (path) => {
        const error = await failureOf(path);
        expect(error).toMatchObject({ code: "NETWORK" });
        expect(error.message).toContain("Response does not match the HTTP/1.1 protocol");
        // undici gives its HTTPParserError no code (llhttp's table is looked up the wrong way round).
        const cause = error.cause as Error;
        expect(cause).toMatchObject({ name: "HTTPParserError", message: expect.stringMatching(/^Response/) });
        expect(Object.keys(cause).filter((name) => name !== "code")).toEqual([]);
      },
    );
  });
});
