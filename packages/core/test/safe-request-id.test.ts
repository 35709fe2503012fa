import { describe, expect, it } from "@jest/globals";
import { ApiKey } from "../src/index.js";
import { safeRequestId } from "../src/transport/safe-request-id.js";

const RAW = "canary-ohk-7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e";
const key = ApiKey.from(RAW, { source: "test" });

describe(safeRequestId.name, () => {
  describe("when the header looks like a Request-Id", () => {
    it("keeps OnceHub's and a gateway's as they are", () => {
      for (const id of ["req_1234567890abcdef", "5f0c2a4e-9b1d-4c6a-8e2f-0a1b2c3d4e5f", "x".repeat(200)])
        expect(safeRequestId(id, key)).toBe(id);
    });

    it("replaces the key or part of it", () => {
      expect(safeRequestId(RAW, key)).toBe(`<key ${key.fingerprint}>`);
      expect(safeRequestId(`req_${RAW.slice(0, 12)}`, key)).toBe(`req_<key ${key.fingerprint}>`);
    });
  });

  describe("when the header is not a Request-Id", () => {
    it("drops it", () => {
      for (const header of [undefined, "", "req_1 forged", "req_1\tx", "req_1\u0085", "x".repeat(201)])
        expect(safeRequestId(header, key)).toBeUndefined();
    });
  });
});
