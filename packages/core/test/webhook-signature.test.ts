import { describe, expect, it } from "@jest/globals";
import { verifyWebhookSignature, WebhookSignatureError } from "../src/index.js";
import { eventBody, header, hmacHex, now, NOW_SECONDS, SECRET } from "./webhook-signature-helpers.js";

const verify = (body: string | Buffer, value: string, secret = SECRET, toleranceSeconds?: number) =>
  verifyWebhookSignature(
    body,
    value,
    secret,
    toleranceSeconds === undefined ? { now } : { now, toleranceSeconds },
  );

/** Runs `action` and returns the WebhookSignatureError it throws (or fails the test). */
function failure(action: () => unknown): WebhookSignatureError {
  try {
    action();
  } catch (error) {
    if (WebhookSignatureError.is(error)) return error;
    throw error;
  }
  throw new Error("expected a WebhookSignatureError, but the delivery was accepted");
}

describe(verifyWebhookSignature.name, () => {
  const body = eventBody();

  describe("when the delivery is genuine", () => {
    it("returns the event envelope", () => {
      expect(verify(body, header(body))).toEqual(JSON.parse(body));
    });

    it("verifies a Buffer body byte for byte", () => {
      const bytes = Buffer.from(body, "utf8");
      expect(verify(bytes, header(bytes))).toMatchObject({
        id: "EVNT-KN56U3YL7C",
        data: { subject: "Démo" },
      });
    });

    it("uses the default clock and a 300 s window when no options are given", () => {
      const t = Math.floor(Date.now() / 1000) - 200;
      expect(verifyWebhookSignature(body, header(body, t), SECRET)).toMatchObject({
        type: "booking.scheduled",
      });
    });

    it("accepts any matching one of several signatures", () => {
      const good = hmacHex(NOW_SECONDS, body);
      const other = hmacHex(NOW_SECONDS, body, "an-older-secret");
      expect(verify(body, `t=${NOW_SECONDS},s=${other},s=${good}`)).toMatchObject({ id: "EVNT-KN56U3YL7C" });
      expect(verify(body, `t=${NOW_SECONDS},s=${good},s=zz`)).toMatchObject({ id: "EVNT-KN56U3YL7C" });
    });

    it("tolerates whitespace, any order, unknown keys and parts without '='", () => {
      const s = hmacHex(NOW_SECONDS, body);
      expect(verify(body, ` s = ${s} ,\tv=2,, junk ,t= ${NOW_SECONDS}\t`)).toMatchObject({
        id: "EVNT-KN56U3YL7C",
      });
    });

    it("accepts upper-case hex", () => {
      expect(verify(body, `t=${NOW_SECONDS},s=${hmacHex(NOW_SECONDS, body).toUpperCase()}`)).toBeDefined();
    });

    it("signs the timestamp as written, leading zeros included", () => {
      const t = `000${NOW_SECONDS}`;
      expect(verify(body, `t=${t},s=${hmacHex(t, body)}`)).toBeDefined();
      expect(failure(() => verify(body, `t=${t},s=${hmacHex(NOW_SECONDS, body)}`)).reason).toBe(
        "bad_signature",
      );
    });

    it("keeps event types it does not know and extra fields", () => {
      const future = eventBody({ type: "booking.teleported", extra: [1, 2] });
      expect(verify(future, header(future))).toMatchObject({ type: "booking.teleported", extra: [1, 2] });
    });

    it("accepts a timestamp exactly at the tolerance, either way", () => {
      expect(verify(body, header(body, NOW_SECONDS - 300))).toBeDefined();
      expect(verify(body, header(body, NOW_SECONDS + 300))).toBeDefined();
      expect(verify(body, header(body, NOW_SECONDS - 10), SECRET, 10)).toBeDefined();
    });
  });

  describe("when the signature does not match", () => {
    const cases: [string, string | Buffer, string, string?][] = [
      ["the body was tampered with", body.replace("Démo", "Demo"), header(body)],
      ["the body was re-serialized", JSON.stringify(JSON.parse(body), null, 2), header(body)],
      ["the secret is another webhook's", body, header(body), "0123456789abcdef0123456789abcdef"],
      ["the timestamp was changed", body, `t=${NOW_SECONDS - 1},s=${hmacHex(NOW_SECONDS, body)}`],
      ["the signature has odd length", body, `t=${NOW_SECONDS},s=${hmacHex(NOW_SECONDS, body)}a`],
      ["the signature is truncated", body, `t=${NOW_SECONDS},s=${hmacHex(NOW_SECONDS, body).slice(0, 62)}`],
      ["the signature is not hex", body, `t=${NOW_SECONDS},s=${"g".repeat(64)}`],
      ["the signature is empty", body, `t=${NOW_SECONDS},s=`],
      ["the signature has a sha256= prefix", body, `t=${NOW_SECONDS},s=sha256=${hmacHex(NOW_SECONDS, body)}`],
      ["a Buffer body differs by one byte", Buffer.from(body.replace("D", "d")), header(body)],
    ];

    it.each(cases)("refuses it when %s", (_name, received, value, secret = SECRET) => {
      const error = failure(() => verify(received, value, secret));
      expect(error).toMatchObject({ code: "WEBHOOK_SIGNATURE", reason: "bad_signature" });
      expect(error.message).toMatch(/exactly as received/);
    });

    it("checks the signature before the timestamp, so a forged stale delivery is bad_signature", () => {
      expect(failure(() => verify(body, header(body, NOW_SECONDS - 3600), "wrong-secret")).reason).toBe(
        "bad_signature",
      );
    });
  });

  describe("when the header is malformed", () => {
    const s = hmacHex(NOW_SECONDS, body);
    const cases: [string, unknown, RegExp][] = [
      ["empty", "", /missing or empty/],
      ["blank", "  \t ", /missing or empty/],
      ["not a string", undefined, /missing or empty/],
      ["without t", `s=${s}`, /no `t=` timestamp/],
      ["without s", `t=${NOW_SECONDS}`, /no `s=` signature/],
      ["with two timestamps", `t=${NOW_SECONDS},t=${NOW_SECONDS},s=${s}`, /2 `t=` timestamps/],
      ["with a word for t", `t=yesterday,s=${s}`, /not a whole number/],
      ["with a negative t", `t=-5,s=${s}`, /not a whole number/],
      ["with a fractional t", `t=${NOW_SECONDS}.5,s=${s}`, /not a whole number/],
      ["with an empty t", `t=,s=${s}`, /not a whole number/],
      ["with a millisecond t", `t=${NOW_SECONDS}000,s=${s}`, /not a whole number/],
      ["as a sha256= header", `sha256=${s}`, /no `t=` timestamp/],
      ["too long", `t=${NOW_SECONDS},s=${s},${"x=y,".repeat(3000)}`, /more than 8192/],
    ];

    it.each(cases)("refuses a header %s", (_name, value, message) => {
      const error = failure(() => verify(body, value as string));
      expect(error).toMatchObject({ code: "WEBHOOK_SIGNATURE", reason: "malformed_header" });
      expect(error.message).toMatch(message);
    });
  });

  describe("when the timestamp is outside the window", () => {
    it("refuses an old delivery as too_old", () => {
      const error = failure(() => verify(body, header(body, NOW_SECONDS - 301)));
      expect(error).toMatchObject({ reason: "too_old" });
      expect(error.message).toMatch(/signed 301 s ago, more than the 300 s tolerance/);
    });

    it("refuses a delivery from the future as too_new", () => {
      const error = failure(() => verify(body, header(body, NOW_SECONDS + 301)));
      expect(error).toMatchObject({ reason: "too_new" });
      expect(error.message).toMatch(/301 s in the future.*clock/);
    });

    it("applies a custom tolerance", () => {
      expect(failure(() => verify(body, header(body, NOW_SECONDS - 11), SECRET, 10)).reason).toBe("too_old");
      expect(failure(() => verify(body, header(body, NOW_SECONDS + 1), SECRET, 0)).reason).toBe("too_new");
    });

    it("skips the window with an infinite tolerance", () => {
      expect(verify(body, header(body, 0), SECRET, Infinity)).toBeDefined();
    });
  });

  describe("when the secret is missing", () => {
    it.each([
      ["empty", ""],
      ["undefined", undefined],
    ])("refuses with missing_secret when it is %s, before reading the header", (_name, secret) => {
      expect(failure(() => verifyWebhookSignature(body, "garbage", secret as string, { now })).reason).toBe(
        "missing_secret",
      );
    });
  });

  describe("when the body is not an event", () => {
    const cases: [string, string][] = [
      ["not JSON", "{ nope"],
      ["a JSON array", "[]"],
      ["JSON null", "null"],
      ["an object that is not an event", eventBody({ object: "booking" })],
      ["an event without id", eventBody({ id: undefined })],
      ["an event whose type is not a string", eventBody({ type: 7 })],
      ["an event without api_version", eventBody({ api_version: undefined })],
      ["an event without creation_time", eventBody({ creation_time: null })],
    ];

    it.each(cases)("refuses a genuine body that is %s with malformed_body", (_name, received) => {
      expect(failure(() => verify(received, header(received)))).toMatchObject({ reason: "malformed_body" });
    });

    it("keeps the JSON error as cause", () => {
      expect(failure(() => verify("{", header("{"))).cause).toBeInstanceOf(SyntaxError);
    });

    it("refuses an already parsed body and says how to read it raw", () => {
      const error = failure(() => verify(JSON.parse(body) as string, header(body)));
      expect(error).toMatchObject({ reason: "malformed_body" });
      expect(error.message).toMatch(/an object \(already parsed\?\).*express\.raw/);
    });
  });

  describe("when it refuses a delivery", () => {
    it("never puts the secret in the message", () => {
      const canary = "canary-whsec-7Hq2Lx9Vb4";
      const messages = [
        failure(() => verify(body, header(body), canary)).message,
        failure(() => verify(body, "t=1", canary)).message,
        failure(() => verify(body, header(body, NOW_SECONDS - 999, canary), canary)).message,
        failure(() => verify("x", header("x", NOW_SECONDS, canary), canary)).message,
      ];
      for (const message of messages) expect(message).not.toContain(canary);
    });
  });

  describe("when the options are invalid", () => {
    it.each([-1, Number.NaN])("throws a RangeError for toleranceSeconds %p", (toleranceSeconds) => {
      expect(() => verify(body, header(body), SECRET, toleranceSeconds)).toThrow(RangeError);
    });

    it("throws a RangeError for options that are not an object or a clock that is not a function", () => {
      expect(() => verifyWebhookSignature(body, header(body), SECRET, null as never)).toThrow(RangeError);
      expect(() => verifyWebhookSignature(body, header(body), SECRET, { now: "now" as never })).toThrow(
        RangeError,
      );
    });

    it("throws a RangeError when the clock returns no number", () => {
      expect(() => verifyWebhookSignature(body, header(body), SECRET, { now: () => Number.NaN })).toThrow(
        RangeError,
      );
    });
  });
});
