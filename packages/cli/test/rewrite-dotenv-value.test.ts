import { describe, expect, it } from "@jest/globals";
import { parse } from "dotenv";
import fc from "fast-check";
import { rewriteDotenvValue } from "../src/rotate/rewrite-dotenv-value.js";

const rewrite = (content: string, key: string, variable = "ONCEHUB_API_KEY"): string =>
  rewriteDotenvValue(Buffer.from(content), variable, key, ".env").toString("utf8");

/** Every character a key may hold (visible ASCII). */
const KEY_CHARS = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));

describe(rewriteDotenvValue.name, () => {
  describe("when the new key reads back in the value's own quotes", () => {
    it.each([
      ["single quotes", "A=1\nONCEHUB_API_KEY='old-key'\nB=2\n", "A=1\nONCEHUB_API_KEY='new-key'\nB=2\n"],
      ["double quotes", 'ONCEHUB_API_KEY="old-key" # note\n', 'ONCEHUB_API_KEY="new-key" # note\n'],
      ["backticks", "ONCEHUB_API_KEY=`old-key`\n", "ONCEHUB_API_KEY=`new-key`\n"],
      ["no quotes", "export ONCEHUB_API_KEY=old-key   # note\n", "export ONCEHUB_API_KEY=new-key   # note\n"],
      ["spaces around =", "ONCEHUB_API_KEY = old-key\n", "ONCEHUB_API_KEY = new-key\n"],
      ["the colon form", "ONCEHUB_API_KEY: old-key\n", "ONCEHUB_API_KEY: new-key\n"],
      [
        "CRLF line ends",
        "A=1\r\nONCEHUB_API_KEY='old-key'\r\nB=2\r\n",
        "A=1\r\nONCEHUB_API_KEY='new-key'\r\nB=2\r\n",
      ],
      ["no final newline", "ONCEHUB_API_KEY=old-key", "ONCEHUB_API_KEY=new-key"],
    ])("keeps them (%s)", (_, before, after) => {
      expect(rewrite(before, "new-key")).toBe(after);
    });

    it("rewrites the definition dotenv reads: the last one", () => {
      expect(rewrite("ONCEHUB_API_KEY=first\nONCEHUB_API_KEY=second\n", "new-key")).toBe(
        "ONCEHUB_API_KEY=first\nONCEHUB_API_KEY=new-key\n",
      );
    });
  });

  describe("when the value's quotes cannot hold the new key", () => {
    it.each([
      ["a ' and # in single quotes", "ONCEHUB_API_KEY='old'\n", "it's#key", "ONCEHUB_API_KEY=`it's#key`\n"],
      ["a # without quotes", "ONCEHUB_API_KEY=old\n", "key#with#hash", "ONCEHUB_API_KEY='key#with#hash'\n"],
      ["\\n in double quotes", 'ONCEHUB_API_KEY="old"\n', "a\\nb", "ONCEHUB_API_KEY='a\\nb'\n"],
    ])("takes quotes that do (%s)", (_, before, key, after) => {
      const written = rewrite(before, key);
      expect(written).toBe(after);
      expect(parse(written).ONCEHUB_API_KEY).toBe(key);
    });

    it("refuses a key no quoting reads back, leaving the decision to the caller", () => {
      expect(() => rewrite("ONCEHUB_API_KEY=old\n", "'\"`#")).toThrow(
        expect.objectContaining({ code: "WRITE_FAILED" }),
      );
    });
  });

  it("refuses a file that does not define the variable", () => {
    expect(() => rewrite("OTHER=1\n", "new-key")).toThrow(expect.objectContaining({ code: "WRITE_FAILED" }));
  });

  it("for any key and file: dotenv reads the key back and every other variable as before, or it refuses", () => {
    const key = fc.string({ unit: fc.constantFrom(...KEY_CHARS), minLength: 1, maxLength: 48 });
    const value = fc.string({ unit: fc.constantFrom(..."abc XYZ-_=:#'\"`\\"), maxLength: 12 });
    const quote = fc.constantFrom("", "'", '"', "`");
    const lineEnd = fc.constantFrom("\n", "\r\n");
    fc.assert(
      fc.property(key, value, value, quote, lineEnd, (newKey, other, comment, q, eol) => {
        const content = [
          `# ${comment}`,
          `OTHER=${q}${other.replaceAll(q || "\u0000", "")}${q}`,
          "ONCEHUB_API_KEY='old-key' # rotated",
          "export LAST=value",
          "",
        ].join(eol);
        let written: string;
        try {
          written = rewrite(content, newKey);
        } catch (error) {
          expect(error).toMatchObject({ code: "WRITE_FAILED" });
          return;
        }
        expect(parse(written)).toEqual({ ...parse(content), ONCEHUB_API_KEY: newKey });
        // Only the value changed: what comes before and after it is the same text.
        const start = content.indexOf("'old-key'");
        expect(written.slice(0, start)).toBe(content.slice(0, start));
        expect(written.endsWith(content.slice(start + "'old-key'".length))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
