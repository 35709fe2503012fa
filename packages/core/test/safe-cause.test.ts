import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { ApiKey } from "../src/index.js";
import { classifyNetworkFailure } from "../src/transport/network-failure.js";
import { safeCause } from "../src/transport/safe-cause.js";

const RAW = "canary-ohk-7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e";
const key = ApiKey.from(RAW, { source: "test" });
const MARK = `<key ${key.fingerprint}>`;
const RUN = RAW.slice(11, 19);

/** Everything `console.error` or a JSON log could print of `value`. */
const printed = (value: unknown): string =>
  `${inspect(value, { depth: Infinity, showHidden: true })}\n${JSON.stringify(value)}`;

/** What undici throws for a response it cannot parse: the bytes after the error as `data`. */
function parserError(): Error {
  return Object.assign(new Error(`Response does not match the HTTP/1.1 protocol (${RAW.slice(0, 12)})`), {
    name: "HTTPParserError",
    code: "HPE_INVALID_HEADER_TOKEN",
    data: `X-Echo: ${RAW}\r\n\r\n`,
    cause: Object.assign(new Error(`socket said ${RAW}`), { code: "ECONNRESET", socket: { key: RAW } }),
  });
}

describe(safeCause.name, () => {
  describe("when the error holds the key in its message and other fields", () => {
    it("keeps the name, code and redacted message only, also of its cause", () => {
      const safe = safeCause(parserError(), key);
      expect(safe).toMatchObject({
        name: "HTTPParserError",
        code: "HPE_INVALID_HEADER_TOKEN",
        message: `Response does not match the HTTP/1.1 protocol (${MARK})`,
        cause: { name: "Error", code: "ECONNRESET", message: `socket said ${MARK}` },
      });
      expect(Object.keys(safe)).toEqual(["code"]);
      expect(Object.keys(safe.cause as object)).toEqual(["code"]);
      expect(printed(safe)).not.toContain(RUN);
    });

    it("keeps the stack's frames under the redacted message", () => {
      const safe = safeCause(parserError(), key);
      expect(safe.stack?.split("\n")[0]).toBe(`HTTPParserError: ${safe.message}`);
      expect(safe.stack).toContain("safe-cause.test.ts");
      expect(safe.stack).not.toContain(RUN);
    });
  });

  describe("when the name or code is not a plain word", () => {
    it("drops the code and names it Error", () => {
      const odd = Object.assign(new Error("x"), { name: `Bad ${RAW}`, code: `E ${RAW}` });
      const safe = safeCause(odd, key);
      expect(safe.name).toBe("Error");
      expect(safe).not.toHaveProperty("code");
      expect(printed(safe)).not.toContain(RUN);
    });
  });

  describe("when what was thrown is not an error", () => {
    it("keeps a string as the redacted message", () => {
      expect(safeCause(`failed with ${RAW}`, key).message).toBe(`failed with ${MARK}`);
      expect(safeCause(undefined, key).message).toBe("");
    });
  });
});

describe(classifyNetworkFailure.name, () => {
  describe("when the socket error quotes the key", () => {
    it("redacts it in the message and keeps a safe copy as the cause", () => {
      const tls = Object.assign(new Error(`Host: 127.0.0.1. is not in the cert's altnames: DNS:${RAW}`), {
        code: "ERR_TLS_CERT_ALTNAME_INVALID",
        cert: { subjectaltname: `DNS:${RAW}` },
      });
      const { error } = classifyNetworkFailure(tls, false, "GET /v2/test", "https://api.test", key);
      expect(error).toMatchObject({ code: "NETWORK", cause: { code: "ERR_TLS_CERT_ALTNAME_INVALID" } });
      expect(error.cause).not.toBe(tls);
      const parser = classifyNetworkFailure(parserError(), true, "GET /v2/test", "https://api.test", key);
      expect(parser.error.message).toContain(`(HPE_INVALID_HEADER_TOKEN: Response does not match`);
      expect(`${error.message}\n${printed(error)}\n${printed(parser.error)}`).not.toContain(RUN);
    });
  });
});
