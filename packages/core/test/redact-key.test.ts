import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ApiKey } from "../src/index.js";
import { MIN_KEY_RUN, redactKey } from "../src/transport/redact-key.js";

const RAW = "canary-ohk-7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e";
const key = ApiKey.from(RAW, { source: "test" });
const MARK = `<key ${key.fingerprint}>`;

/** A key with the characters JSON and URLs escape. */
const SPECIAL_RAW = 'k3y/with+"quote"\\and&more=!~*';
const special = ApiKey.from(SPECIAL_RAW, { source: "test" });
const SPECIAL_MARK = `<key ${special.fingerprint}>`;

describe(redactKey.name, () => {
  describe("when the text holds the key or part of it", () => {
    it("replaces the whole key", () => {
      expect(redactKey(`Invalid API key ${RAW}.`, key)).toBe(`Invalid API key ${MARK}.`);
    });

    it("replaces a prefix of the key", () => {
      expect(redactKey(`Invalid API key ${RAW.slice(0, 24)}...`, key)).toBe(`Invalid API key ${MARK}...`);
    });

    it("replaces a tail of the key", () => {
      expect(redactKey(`Invalid API key ****${RAW.slice(-20)}`, key)).toBe(`Invalid API key ****${MARK}`);
    });

    it("replaces any run of 8 characters of the key, and leaves a run of 7", () => {
      const eight = RAW.slice(15, 15 + MIN_KEY_RUN);
      const seven = RAW.slice(15, 15 + MIN_KEY_RUN - 1);
      expect(redactKey(`id ${eight} end`, key)).toBe(`id ${MARK} end`);
      expect(redactKey(`id ${seven} end`, key)).toBe(`id ${seven} end`);
    });

    it("replaces the key in either case, as a lowercased host name holds it", () => {
      const mixed = ApiKey.from("OHK_Live_AbCdEfGh12345678", { source: "test" });
      expect(redactKey("https://ohk_live_abcdefgh12345678.evil.example", mixed)).toBe(
        `https://<key ${mixed.fingerprint}>.evil.example`,
      );
    });

    it("replaces the key URL-encoded, as encodeURIComponent or URLSearchParams writes it", () => {
      const encoded = encodeURIComponent(SPECIAL_RAW);
      const form = new URLSearchParams({ k: SPECIAL_RAW }).toString();
      expect(redactKey(`GET /v2/x?api_key=${encoded}`, special)).toBe(`GET /v2/x?api_key=${SPECIAL_MARK}`);
      expect(redactKey(`GET /v2/x?${form}`, special)).toBe(`GET /v2/x?k=${SPECIAL_MARK}`);
      expect(redactKey(`GET /v2/x?api_key=${encoded.toLowerCase()}`, special)).toBe(
        `GET /v2/x?api_key=${SPECIAL_MARK}`,
      );
    });

    it("replaces the key JSON-escaped, also with escaped slashes", () => {
      const escaped = JSON.stringify(SPECIAL_RAW);
      expect(redactKey(`{"key":${escaped}}`, special)).toBe(`{"key":"${SPECIAL_MARK}"}`);
      expect(redactKey(`{"key":${escaped.replaceAll("/", "\\/")}}`, special)).toBe(
        `{"key":"${SPECIAL_MARK}"}`,
      );
    });

    it("makes one marker of overlapping or adjacent runs", () => {
      expect(redactKey(`${RAW}${RAW.slice(0, 10)}`, key)).toBe(MARK);
    });

    it("leaves no run of 8 characters of any key in any text", () => {
      const visible = fc.string({
        unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
        minLength: MIN_KEY_RUN,
        maxLength: 64,
      });
      fc.assert(
        fc.property(visible, fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (raw, a, b) => {
          const some = ApiKey.from(raw, { source: "test" });
          const out = redactKey(`${a}${raw.slice(3)}${b}${raw.slice(0, -3)}${a}`, some).replaceAll(
            `<key ${some.fingerprint}>`,
            "\u0000",
          );
          const lower = out.toLowerCase();
          for (let i = 0; i + MIN_KEY_RUN <= raw.length; i++)
            expect(lower).not.toContain(raw.slice(i, i + MIN_KEY_RUN).toLowerCase());
        }),
        { numRuns: 300 },
      );
    });
  });

  describe("whatever the text and the key", () => {
    /** Every window of the text looked up in the key's lowercased form: what redactKey must replace, no more. */
    function reference(text: string, raw: string): string {
      const lower = (value: string): string => value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
      const form = lower(raw);
      const length = Math.min(MIN_KEY_RUN, form.length);
      const covered = new Array<boolean>(text.length).fill(false);
      const lowered = lower(text);
      for (let i = 0; i + length <= text.length; i++)
        if (form.includes(lowered.slice(i, i + length))) covered.fill(true, i, i + length);
      let out = "";
      for (let i = 0; i < text.length;) {
        if (!covered[i]) out += text[i++];
        else {
          while (covered[i]) i++;
          out += "<key>";
        }
      }
      return out;
    }

    it("replaces exactly the runs a lookup of every window finds, in either case and beside any character", () => {
      // Few distinct characters, so texts often share runs with the key; upper case, non-ASCII and a separator.
      const unit = fc.constantFrom("a", "b", "C", "d", "-", "/", "é", "Z");
      const plainUnit = fc.constantFrom("a", "b", "C", "d", "-", "Z", "7");
      fc.assert(
        fc.property(
          fc.string({ unit: plainUnit, minLength: 1, maxLength: 24 }),
          fc.string({ unit, maxLength: 60 }),
          (raw, text) => {
            const some = ApiKey.from(raw, { source: "test" });
            const out = redactKey(text, some).replaceAll(`<key ${some.fingerprint}>`, "<key>");
            expect(out).toBe(reference(text, some.reveal()));
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe("when the key is shorter than 8 characters", () => {
    const short = ApiKey.from("ab12cd", { source: "test" });

    it("replaces the whole key and leaves its parts", () => {
      expect(redactKey("key ab12cd, ab12c and b12cd", short)).toBe(
        `key <key ${short.fingerprint}>, ab12c and b12cd`,
      );
    });
  });

  describe("when the text holds no part of the key", () => {
    it("leaves OnceHub's messages and Request-Ids as they are", () => {
      for (const text of [
        "Invalid API key provided.",
        "No such booking: 'BKNG-0123456789'",
        "req_1234567890abcdef",
        "authentication_error",
        "canary-0000000 is not a key", // 7 characters in common only
      ])
        expect(redactKey(text, key)).toBe(text);
    });

    it("only caps the text when there is no key", () => {
      expect(redactKey(RAW, undefined)).toBe(RAW);
      expect(redactKey("x".repeat(20), undefined, { maxLength: 5 })).toBe("xxxxx…");
    });
  });

  describe("when the text is longer than maxLength", () => {
    it("cuts it and marks the cut", () => {
      expect(redactKey("a".repeat(1_500), key)).toBe(`${"a".repeat(1_000)}…`);
      expect(redactKey("abcdefgh", key, { maxLength: 8 })).toBe("abcdefgh");
    });

    it("replaces a key that crosses the cut whole, without leaving its first characters", () => {
      expect(redactKey(`${"a".repeat(995)}${RAW}`, key)).toBe(`${"a".repeat(995)}${MARK}…`);
      expect(redactKey(`${"a".repeat(999)}${RAW}tail`, key)).toBe(`${"a".repeat(999)}${MARK}…`);
    });

    it("reads no more than maxLength and a run, however long the text", () => {
      const out = redactKey(`${RAW} `.repeat(50_000), key, { maxLength: 100 });
      expect(out).toBe(`${MARK} ${MARK} ${MARK}…`);
      expect(out).not.toContain(RAW.slice(0, MIN_KEY_RUN));
    });
  });
});
