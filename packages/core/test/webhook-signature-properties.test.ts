import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { verifyWebhookSignature, WebhookSignatureError } from "../src/index.js";
import { hmacHex, now, NOW_SECONDS } from "./webhook-signature-helpers.js";

const hexDigit = fc.constantFrom(..."0123456789abcdefABCDEF");
const whitespace = fc.string({ unit: fc.constantFrom(" ", "\t"), maxLength: 3 });

/** Header values shaped like `t=…,s=…`, right or wrong in every part. */
const headerLike = fc
  .array(
    fc.tuple(
      whitespace,
      fc.constantFrom("t", "s", "v", "T", "", "t s"),
      fc.constantFrom("=", "==", ""),
      fc.oneof(
        fc.nat().map(String),
        fc.integer({ min: NOW_SECONDS - 400, max: NOW_SECONDS + 400 }).map(String),
        fc.string({ unit: hexDigit, maxLength: 70 }),
        fc.string({ unit: hexDigit, minLength: 64, maxLength: 64 }),
        fc.string({ unit: "binary", maxLength: 20 }),
      ),
      whitespace,
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.map((part) => part.join("")).join(","));

const envelope = fc.record({
  id: fc.string(),
  object: fc.constant("event"),
  creation_time: fc.string(),
  type: fc.string(),
  api_version: fc.string(),
  data: fc.jsonValue(),
});

const anyBody = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue().map((value) => JSON.stringify(value) ?? ""),
  fc.anything(),
);
const anySecret = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1 }) },
  fc.constant(""),
  fc.anything(),
);

/** A delivery signed with the right secret: mostly in the window, with a body that may or may not be an event. */
const signedDelivery = fc
  .tuple(
    fc.oneof(
      fc.string({ unit: "binary" }),
      fc.jsonValue().map((value) => JSON.stringify(value) ?? ""),
      { weight: 2, arbitrary: envelope.map((event) => JSON.stringify(event)) },
    ),
    fc.string({ minLength: 1 }),
    fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: NOW_SECONDS - 300, max: NOW_SECONDS + 300 }) },
      fc.integer({ min: 0, max: NOW_SECONDS * 2 }),
    ),
    fc.boolean(),
  )
  .map(([body, secret, t, forged]) => {
    const header = `t=${t},s=${hmacHex(t, body, forged ? `${secret}x` : secret)}`;
    return [body, header, secret] as const;
  });

/** Calls the verifier and reports "event", a reason, or rethrows anything that is not a WebhookSignatureError. */
function outcome(body: unknown, header: unknown, secret: unknown): string {
  try {
    const event = verifyWebhookSignature(body as string, header as string, secret as string, { now });
    expect(event.object).toBe("event");
    return "event";
  } catch (error) {
    if (WebhookSignatureError.is(error)) return error.reason;
    throw error;
  }
}

describe(verifyWebhookSignature.name, () => {
  describe("for any body, header and secret", () => {
    it("returns an event or throws a WebhookSignatureError, nothing else", () => {
      const seen = new Set<string>();
      fc.assert(
        fc.property(
          fc.oneof(
            fc.tuple(anyBody, fc.oneof(headerLike, fc.string({ unit: "binary" }), fc.anything()), anySecret),
            signedDelivery,
          ),
          ([body, header, secret]) => {
            seen.add(outcome(body, header, secret));
          },
        ),
        { numRuns: 2000 },
      );
      // The generators reach every outcome, so the property is not vacuous.
      expect([...seen].sort()).toEqual([
        "bad_signature",
        "event",
        "malformed_body",
        "malformed_header",
        "missing_secret",
        "too_new",
        "too_old",
      ]);
    });

    it("never puts the secret in the message", () => {
      fc.assert(
        fc.property(
          fc.oneof(anyBody, fc.string()),
          headerLike,
          fc.string().map((s) => `canary-${s}`),
          (body, header, secret) => {
            try {
              verifyWebhookSignature(body as string, header, secret, { now });
            } catch (error) {
              expect(WebhookSignatureError.is(error) && !error.message.includes(secret)).toBe(true);
            }
          },
        ),
      );
    });
  });

  describe("for any genuine delivery within the window", () => {
    it("returns the envelope, from a string or a Buffer", () => {
      fc.assert(
        fc.property(
          envelope,
          fc.string({ unit: "binary", minLength: 1 }),
          fc.integer({ min: -300, max: 300 }),
          fc.boolean(),
          (event, secret, offset, asBuffer) => {
            const text = JSON.stringify(event);
            const body = asBuffer ? Buffer.from(text) : text;
            const t = NOW_SECONDS + offset;
            const result = verifyWebhookSignature(body, `t=${t},s=${hmacHex(t, body, secret)}`, secret, {
              now,
            });
            expect(result).toEqual(JSON.parse(text));
          },
        ),
      );
    });

    it("accepts it with whitespace and unknown parts around the signature", () => {
      fc.assert(
        fc.property(
          envelope,
          whitespace,
          whitespace,
          fc.array(fc.constantFrom("v=1", "x", "", " k = v ")),
          (event, a, b, extra) => {
            const body = JSON.stringify(event);
            const header = [
              ...extra,
              `${a}t${b}=${a}${NOW_SECONDS}${b}`,
              ...extra,
              `${b}s=${hmacHex(NOW_SECONDS, body, "sec")}${a}`,
            ];
            expect(verifyWebhookSignature(body, header.join(","), "sec", { now })).toEqual(JSON.parse(body));
          },
        ),
      );
    });
  });

  describe("for any tampering with a genuine delivery", () => {
    it("refuses a body with any byte changed as bad_signature", () => {
      fc.assert(
        fc.property(envelope, fc.nat(), fc.integer({ min: 1, max: 255 }), (event, at, xor) => {
          const body = Buffer.from(JSON.stringify(event));
          const header = `t=${NOW_SECONDS},s=${hmacHex(NOW_SECONDS, body, "sec")}`;
          const tampered = Buffer.from(body);
          const index = at % tampered.length;
          tampered[index] = (tampered[index] ?? 0) ^ xor;
          expect(outcome(tampered, header, "sec")).toBe("bad_signature");
        }),
      );
    });

    it("refuses a signature with any hex digit changed as bad_signature", () => {
      fc.assert(
        fc.property(
          envelope,
          fc.integer({ min: 0, max: 63 }),
          fc.integer({ min: 1, max: 15 }),
          (event, at, delta) => {
            const body = JSON.stringify(event);
            const digits = hmacHex(NOW_SECONDS, body, "sec").split("");
            digits[at] = ((parseInt(digits[at] ?? "0", 16) + delta) % 16).toString(16);
            expect(outcome(body, `t=${NOW_SECONDS},s=${digits.join("")}`, "sec")).toBe("bad_signature");
          },
        ),
      );
    });

    it("refuses a delivery signed with any other secret as bad_signature", () => {
      fc.assert(
        fc.property(
          envelope,
          fc.string({ minLength: 1 }),
          fc.string({ minLength: 1 }),
          (event, secret, other) => {
            fc.pre(Buffer.from(secret).compare(Buffer.from(other)) !== 0);
            const body = JSON.stringify(event);
            expect(outcome(body, `t=${NOW_SECONDS},s=${hmacHex(NOW_SECONDS, body, other)}`, secret)).toBe(
              "bad_signature",
            );
          },
        ),
      );
    });
  });
});
