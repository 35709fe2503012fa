import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { inspect } from "node:util";
import { ApiKey, KeyFormatError } from "../src/index.js";
import { MAX_KEY_LENGTH } from "../src/source.js";

const SECRET = "canary-3f9aKq7ZpLw2Xv8RtY5n";

describe(ApiKey.name, () => {
  describe("when the key is valid", () => {
    it("reveals the key", () => {
      expect(ApiKey.from(SECRET).reveal()).toBe(SECRET);
    });

    it("drops exactly one trailing newline", () => {
      expect(ApiKey.from(`${SECRET}\n`).reveal()).toBe(SECRET);
      expect(() => ApiKey.from(`${SECRET}\n\n`)).toThrow(KeyFormatError);
    });

    it("fingerprints with sha256 and the first 12 hex characters", () => {
      const expected = createHash("sha256").update(SECRET).digest("hex").slice(0, 12);
      expect(ApiKey.from(SECRET).fingerprint).toBe(`sha256:${expected}`);
    });

    it("keeps the source", () => {
      expect(ApiKey.from(SECRET, { source: "env:ONCEHUB_API_KEY" }).source).toBe("env:ONCEHUB_API_KEY");
      expect(ApiKey.from(SECRET).source).toBe("unknown");
    });

    it("accepts every visible ASCII character and 512 characters", () => {
      let all = "";
      for (let c = 0x21; c <= 0x7e; c++) all += String.fromCharCode(c);
      expect(ApiKey.from(all).reveal()).toBe(all);
      expect(ApiKey.from("x".repeat(MAX_KEY_LENGTH)).reveal()).toHaveLength(512);
    });
  });

  describe("when it is printed", () => {
    const key = ApiKey.from(SECRET, { source: "file:/run/secrets/oncehub" });

    it("shows fingerprint and source in toString, toJSON and inspect, never the key", () => {
      for (const text of [
        `${key}`,
        String(key),
        JSON.stringify(key),
        JSON.stringify({ key }),
        inspect(key),
        inspect({ nested: { key } }, { depth: 5, showHidden: true }),
      ]) {
        expect(text).toContain(key.fingerprint);
        expect(text).not.toContain(SECRET);
      }
      expect(key.toJSON()).toEqual({ fingerprint: key.fingerprint, source: "file:/run/secrets/oncehub" });
    });

    it("does not expose the key through its own properties", () => {
      expect(Object.values(key)).not.toContain(SECRET);
      expect(Object.getOwnPropertyNames(key)).toEqual(["fingerprint", "source"]);
      expect(Object.isFrozen(key)).toBe(true);
    });
  });

  describe("when keys are compared", () => {
    it("is true for the same secret from different sources", () => {
      expect(ApiKey.from(SECRET, { source: "a" }).equals(ApiKey.from(`${SECRET}\n`, { source: "b" }))).toBe(
        true,
      );
    });

    it("is false for different secrets, also of different lengths", () => {
      expect(ApiKey.from(SECRET).equals(ApiKey.from(`${SECRET}x`))).toBe(false);
      expect(ApiKey.from("a").equals(ApiKey.from("b"))).toBe(false);
    });

    it("is false for something that is not a key", () => {
      expect(ApiKey.from(SECRET).equals({ fingerprint: "x" } as unknown as ApiKey)).toBe(false);
    });
  });

  describe("when the key is malformed", () => {
    const cases: [string, string, RegExp][] = [
      ["empty", "", /is empty/],
      ["only a newline", "\n", /is empty/],
      ["too long", "k".repeat(513), /513 characters long/],
      ["a line break inside", `${SECRET}abcde\n${SECRET}`, /line break at position 33/],
      ["CR LF at the end", `${SECRET}\r\n`, /Windows line ending \(CR LF\) at position 28/],
      ["a BOM", `\uFEFF${SECRET}`, /starts with a byte order mark \(BOM\).*without BOM/],
      ["a leading space", ` ${SECRET}`, /space at position 1; remove the surrounding whitespace/],
      ["a tab", `${SECRET}\t`, /tab at position 28/],
      ["a control character", `${SECRET}\u0007`, /control character \(U\+0007\)/],
      ["DEL", `${SECRET}\u007f`, /control character \(U\+007F\)/],
      ["a non-ASCII character", `${SECRET}é`, /non-ASCII character \(U\+00E9\)/],
      ["an emoji", `${SECRET}😀`, /non-ASCII character \(U\+1F600\)/],
    ];

    it.each(cases)("refuses %s with a message that says what and where", (_name, raw, message) => {
      let error: unknown;
      try {
        ApiKey.from(raw, { source: "env:ONCEHUB_API_KEY" });
      } catch (caught) {
        error = caught;
      }
      expect(KeyFormatError.is(error)).toBe(true);
      expect(error).toMatchObject({ code: "KEY_FORMAT", source: "env:ONCEHUB_API_KEY" });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain("env:ONCEHUB_API_KEY");
      expect((error as Error).message).not.toContain(SECRET);
    });

    it("refuses a value that is not a string", () => {
      expect(() => ApiKey.from(42 as unknown as string)).toThrow(/not a string \(got number\)/);
      expect(() => ApiKey.from(null as unknown as string)).toThrow(/got null/);
    });

    it("says what is wrong with options of the wrong type, never reading the key into the message", () => {
      expect(() => ApiKey.from(SECRET, null as unknown as object)).toThrow(/ApiKey.from: options/);
      expect(() => ApiKey.from(SECRET, { source: 42 as unknown as string })).toThrow(
        /source must be a string/,
      );
    });

    it("makes header injection impossible", () => {
      expect(() => ApiKey.from(`${SECRET}\r\nX-Evil: 1`)).toThrow(KeyFormatError);
    });
  });

  describe("property: any input", () => {
    const inputs = fc.oneof(
      fc.string({ unit: "binary", maxLength: 600 }),
      fc.string({ unit: "grapheme-ascii", maxLength: 600 }),
      fc.string({ maxLength: 40 }).map((s) => `${s}\n`),
      fc.stringMatching(/^[\x21-\x7e]{1,520}\r?\n?$/),
    );

    it("yields the input less one trailing newline, or a KeyFormatError", () => {
      fc.assert(
        fc.property(inputs, (raw) => {
          let key: ApiKey | undefined;
          try {
            key = ApiKey.from(raw, { source: "test" });
          } catch (error) {
            expect(KeyFormatError.is(error)).toBe(true);
            if (raw.length >= 8) expect((error as Error).message).not.toContain(raw);
            const stripped = raw.endsWith("\n") && !raw.endsWith("\r\n") ? raw.slice(0, -1) : raw;
            if (stripped.length >= 8) expect((error as Error).message).not.toContain(stripped);
            return;
          }
          expect(key.reveal()).toBe(raw.endsWith("\n") ? raw.slice(0, -1) : raw);
          if (key.reveal().length >= 8) {
            expect(`${key}|${JSON.stringify(key)}|${inspect(key)}`).not.toContain(key.reveal());
          }
        }),
        { numRuns: 2_000 },
      );
    });
  });
});
