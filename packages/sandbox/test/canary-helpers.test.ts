import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS, holdsKey, printedForms } from "../src/index.js";

const key = CANARY_KEYS.dashed;

describe("canary helpers", () => {
  describe(holdsKey.name, () => {
    it("finds the whole key, a 12-character slice anywhere in it, and nothing shorter", () => {
      expect(holdsKey(`token=${key};`, key)).toBe(true);
      expect(holdsKey(`...${key.slice(17, 29)}...`, key)).toBe(true);
      expect(holdsKey(`...${key.slice(-12)}`, key)).toBe(true);
      expect(holdsKey(`...${key.slice(5, 16)}...`, key)).toBe(false);
      expect(holdsKey("ApiKey(sha256:3f0c9a1b2c4d from env:ONCEHUB_API_KEY)", key)).toBe(false);
    });
  });

  describe(printedForms.name, () => {
    it("reaches a key hidden in a cause's own property, three causes deep", () => {
      const inner = Object.assign(new Error("parse failed"), { data: `X-Echo: ${key}` });
      const error = new Error("outer", { cause: new Error("middle", { cause: inner }) });
      expect(holdsKey(printedForms(error), key)).toBe(true);
    });

    it("reaches a non-enumerable property through inspect, and a toJSON through JSON", () => {
      const hidden = Object.defineProperty({}, "secret", { value: key, enumerable: false });
      const serialized = { toJSON: () => ({ k: key }) };
      expect(holdsKey(printedForms(hidden), key)).toBe(true);
      expect(holdsKey(printedForms(serialized), key)).toBe(true);
    });

    it("prints what cannot be serialized without throwing", () => {
      const circular: Record<string, unknown> = { name: "loop" };
      circular["self"] = circular;
      const noString = Object.create(null) as object;
      expect(printedForms(circular)).toContain("loop");
      expect(() => printedForms(noString)).not.toThrow();
      expect(printedForms(10n)).toContain("10");
    });
  });

  describe("CANARY_KEYS", () => {
    it("holds four different keys of 32 to 45 visible ASCII characters", () => {
      const keys = Object.values(CANARY_KEYS);
      expect(new Set(keys).size).toBe(4);
      for (const canary of keys) expect(canary).toMatch(/^[\x21-\x7e]{32,45}$/);
    });
  });
});
