import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { showsKey } from "@oncekey/test-support";
import { ConfiguredValue } from "../../src/source.js";

describe(ConfiguredValue.name, () => {
  describe("when the value may be repeated", () => {
    it("shows it as it is", () => {
      const value = new ConfiguredValue("ACME_BILLING_SERVICE_ONCEHUB_API_KEY", "name", {
        option: "variable",
        factory: "fromEnv",
      });
      expect(value.quoted).toBe(true);
      expect(value.shown()).toBe("ACME_BILLING_SERVICE_ONCEHUB_API_KEY");
      expect(value.spoken("variable")).toBe("ACME_BILLING_SERVICE_ONCEHUB_API_KEY");
      expect(value.phrase("variable")).toBe("the variable ACME_BILLING_SERVICE_ONCEHUB_API_KEY");
    });
  });

  describe("when the value may not be repeated", () => {
    it.each(Object.entries(CANARY_KEYS))(
      "names the option in code in place of the %s canary",
      (_shape, key) => {
        const value = new ConfiguredValue(key, "name", { option: "variable", factory: "fromEnv" });
        expect(value.shown()).toBe("<the variable option>");
        expect(value.spoken("variable")).toBe(
          `the variable named by the variable option of fromEnv (${value.described()})`,
        );
        expect(
          showsKey(
            key,
            value.shown(),
            value.spoken("variable"),
            value.phrase("variable"),
            value.error("is bad."),
          ),
        ).toBe(false);
      },
    );

    it("names the configuration variable for a value from configuration", () => {
      const value = new ConfiguredValue(CANARY_KEYS.hex, "name", {
        option: "variable",
        factory: "fromEnv",
        variable: "ONCEKEY_ENV_VAR",
      });
      expect(value.shown()).toBe("<ONCEKEY_ENV_VAR>");
      expect(value.spoken("variable")).toBe(
        "the variable named by ONCEKEY_ENV_VAR (a name of 32 characters)",
      );
      expect(value.error("is bad.")).toMatchObject({
        variable: "ONCEKEY_ENV_VAR",
        message: "ONCEKEY_ENV_VAR is bad.",
      });
    });

    it("says that a path is relative, and to which working directory", () => {
      const value = new ConfiguredValue(CANARY_KEYS.base64, "path", { option: "path", factory: "fromFile" });
      expect(value.described()).toBe(
        `a relative path of ${CANARY_KEYS.base64.length} characters, in the working directory ${process.cwd()}`,
      );
    });

    it("numbers the entries of a list", () => {
      const value = new ConfiguredValue(CANARY_KEYS.dashed, "path", {
        option: "path",
        factory: "fromDotenv",
        entry: 2,
      });
      expect(value.shown()).toBe("<the path option entry 2>");
      expect(value.setting).toBe("entry 2 of the path option of fromDotenv");
    });
  });
});
