import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { CANARY_KEYS, holdsKey } from "@oncekey/sandbox";
import {
  describeConfigValue,
  MAX_QUOTED_NAME_LENGTH,
  MAX_QUOTED_VARIABLE_LENGTH,
  quotableConfigValue,
} from "../src/source.js";

const keys = Object.values(CANARY_KEYS);
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

describe(quotableConfigValue.name, () => {
  describe("when the value should be a path", () => {
    it.each([
      "/run/secrets/oncehub_api_key",
      "./config/secrets/oncehub_api_key",
      "../shared/oncehub.env",
      "~/oncehub/key",
      "C:\\keys\\oncehub",
      "D:/keys/oncehub",
      ".env",
      ".env.local",
      "keys/oncehub",
    ])("quotes %s", (path) => {
      expect(quotableConfigValue(path, "path")).toBe(path);
    });

    it.each(keys)("does not quote the key %s", (key) => {
      expect(quotableConfigValue(key, "path")).toBeUndefined();
    });

    it("does not quote a long relative path, nor one with a control character", () => {
      expect(quotableConfigValue("config/secrets/oncehub_api_key", "path")).toBeUndefined();
      expect(quotableConfigValue("/run/secrets/one\nline", "path")).toBeUndefined();
    });
  });

  describe("when the value should be a URL", () => {
    it.each(["https://my-vault.vault.azure.net", "https://127.0.0.1:8443/v2", "http://api.oncehub.com/v2"])(
      "quotes %s",
      (url) => {
        expect(quotableConfigValue(url, "url")).toBe(url);
      },
    );

    it.each([
      ...keys,
      "ohk7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e:abc",
      "my-vault.vault.azure.net",
      "https:my-vault.vault.azure.net",
      "ftp://my-vault.vault.azure.net",
      "https://user:secret@my-vault.vault.azure.net",
      "https://my-vault.vault.azure.net/?sig=abc",
      "https://my-vault.vault.azure.net/#frag",
    ])("does not quote %s", (value) => {
      expect(quotableConfigValue(value, "url")).toBeUndefined();
    });
  });

  describe("when the value should be a name", () => {
    it.each([
      "ONCEHUB_API_KEY",
      "ONCEHUB_API_KEY_{tenant}",
      "azure-keyvault",
      "oncehub-api-key-{tenant}",
      "env",
    ])("quotes %s", (name) => {
      expect(quotableConfigValue(name, "name")).toBe(name);
    });

    it.each(keys)("does not quote the key %s", (key) => {
      expect(quotableConfigValue(key, "name")).toBeUndefined();
    });

    it.each([
      "ACME_BILLING_SERVICE_ONCEHUB_API_KEY",
      "MYCOMPANY_PRODUCTION_ONCEHUB_API_KEY_{tenant}",
      "ONCEHUB_API_KEY_2026_ROTATION",
      `A_${"B".repeat(MAX_QUOTED_VARIABLE_LENGTH - 2)}`,
    ])("quotes %s, an environment variable name in the usual form, which no key takes", (name) => {
      expect(quotableConfigValue(name, "name")).toBe(name);
    });

    it.each([
      ["mixed case", "MyCompany_Production_OnceHub_Key"],
      ["no word break: base32 or upper-case hex", "MFRGGZDFMZTWQ2LKNNWG23TPOA"],
      ["upper-case hex", "CAFE7F3A9C2E5B1D4F6A8C0E2B4D6F8A"],
      ["a leading digit", "1ACME_BILLING_ONCEHUB_API_KEY"],
      ["a doubled underscore", "ACME__BILLING_ONCEHUB_API_KEY"],
      ["a trailing underscore", "ACME_BILLING_ONCEHUB_API_KEY_"],
      ["a dash", "ACME-BILLING_ONCEHUB_API_KEY_X"],
      ["more than the longest", `A_${"B".repeat(MAX_QUOTED_VARIABLE_LENGTH - 1)}`],
    ])("does not quote a long name with %s", (_what, name) => {
      expect(quotableConfigValue(name, "name")).toBeUndefined();
    });

    it(`does not quote a name longer than ${MAX_QUOTED_NAME_LENGTH} characters, nor one with other characters`, () => {
      expect(quotableConfigValue("A".repeat(MAX_QUOTED_NAME_LENGTH), "name")).toBeDefined();
      expect(quotableConfigValue("AB".repeat(MAX_QUOTED_NAME_LENGTH), "name")).toBeUndefined();
      expect(quotableConfigValue("abc/def", "name")).toBeUndefined();
      expect(quotableConfigValue("abc def", "name")).toBeUndefined();
    });
  });

  it("quotes no value that is not a non-empty string", () => {
    for (const value of [undefined, null, 42, {}, [], ""]) {
      for (const shape of ["path", "url", "name"] as const) {
        expect(quotableConfigValue(value, shape)).toBeUndefined();
      }
    }
  });

  it("quotes no base64url or hex key of a credible length, in any shape", () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom(...BASE64URL), { minLength: MAX_QUOTED_NAME_LENGTH + 1, maxLength: 90 })
          .map((chars) => chars.join("")),
        (key) => {
          expect(quotableConfigValue(key, "path")).toBeUndefined();
          expect(quotableConfigValue(key, "url")).toBeUndefined();
          expect(quotableConfigValue(key, "name")).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe(describeConfigValue.name, () => {
  it("gives the kind and length, never a character of the value", () => {
    expect(describeConfigValue(CANARY_KEYS.dashed, "path")).toBe("a relative path of 43 characters");
    expect(describeConfigValue(CANARY_KEYS.dashed, "url")).toBe("a value of 43 characters");
    expect(describeConfigValue(CANARY_KEYS.base64url, "name")).toBe("a name of 45 characters");
    expect(describeConfigValue(CANARY_KEYS.base64, "name")).toBe("a value of 43 characters");
    expect(describeConfigValue(CANARY_KEYS.hex)).toBe("a string of 32 characters");
    for (const key of keys) {
      for (const shape of ["path", "url", "name", undefined] as const) {
        expect(holdsKey(describeConfigValue(key, shape), key)).toBe(false);
      }
    }
  });

  it("names the type of a value that is not a string", () => {
    expect([null, 42, true, {}, [], undefined, ""].map((v) => describeConfigValue(v))).toEqual([
      "null",
      "a number",
      "a boolean",
      "an object",
      "an array",
      "undefined",
      "an empty string",
    ]);
  });
});
