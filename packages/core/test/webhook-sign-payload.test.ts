import { describe, expect, it } from "@jest/globals";
import { signWebhookPayload, verifyWebhookSignature } from "../src/index.js";
import { eventBody, hmacHex, now, NOW_SECONDS, SECRET } from "./webhook-signature-helpers.js";

describe(signWebhookPayload.name, () => {
  const body = eventBody();

  describe("when given a timestamp", () => {
    it("writes t= and the hex HMAC-SHA256 of t.body", () => {
      expect(signWebhookPayload(body, SECRET, { timestamp: NOW_SECONDS })).toBe(
        `t=${NOW_SECONDS},s=${hmacHex(NOW_SECONDS, body)}`,
      );
    });

    it("signs a Buffer as its bytes", () => {
      const bytes = Buffer.from([0xff, 0x00, 0x7b]);
      expect(signWebhookPayload(bytes, SECRET, { timestamp: 5 })).toBe(`t=5,s=${hmacHex(5, bytes)}`);
    });

    it("produces a header verifyWebhookSignature accepts", () => {
      const value = signWebhookPayload(body, SECRET, { timestamp: NOW_SECONDS });
      expect(verifyWebhookSignature(body, value, SECRET, { now })).toEqual(JSON.parse(body));
    });
  });

  describe("when no timestamp is given", () => {
    it("uses the current unix second", () => {
      const before = Math.floor(Date.now() / 1000);
      const t = Number(/^t=(\d+),/.exec(signWebhookPayload(body, SECRET))?.[1]);
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    });
  });

  describe("when its input is unusable", () => {
    it.each([Date.now(), -1, 1.5, Number.NaN])("throws a ConfigError for timestamp %p", (timestamp) => {
      expect(() => signWebhookPayload(body, SECRET, { timestamp })).toThrow(
        expect.objectContaining({ code: "CONFIG", variable: "timestamp" }),
      );
    });

    it.each([42, null, undefined, { body: "x" }])("names rawBody when it is %p", (rawBody) => {
      expect(() => signWebhookPayload(rawBody as unknown as string, SECRET)).toThrow(
        /^signWebhookPayload: rawBody must be the exact body to send, a string or a Buffer; got /,
      );
    });

    it("refuses an unknown option", () => {
      expect(() => signWebhookPayload(body, SECRET, { timestmp: 1 } as never)).toThrow(
        /unknown option timestmp\. Did you mean timestamp\?/,
      );
    });

    it("refuses an empty secret with missing_secret", () => {
      expect(() => signWebhookPayload(body, "")).toThrow(
        expect.objectContaining({ reason: "missing_secret" }),
      );
    });
  });
});
