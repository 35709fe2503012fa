import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { showsKey, thrownBy } from "@oncekey/test-support";
import { checkSourceOptions } from "../../src/source.js";

const rule = { where: "fromTest", known: ["path"], configurable: ["path"] };

describe(checkSourceOptions.name, () => {
  it.each([
    ["options that are not an object", "x", "options"],
    ["a misspelt option", { pathh: "/k" }, "pathh"],
    ["a cache option at the top", { ttlMs: 5 }, "ttlMs"],
    ["an unknown cache option", { cache: { ttl: 5 } }, "cache.ttl"],
    ["a bad cache value", { cache: { maxTenants: 0 } }, "cache.maxTenants"],
    ["onEvent under cache", { cache: { onEvent: () => undefined } }, "cache.onEvent"],
    ["an onEvent that is no function", { onEvent: "log" }, "onEvent"],
    [
      "configuredBy for an option that has no variable",
      { configuredBy: { cache: "X" } },
      "configuredBy.cache",
    ],
    ["configuredBy naming no variable", { configuredBy: { path: "a path" } }, "configuredBy.path"],
  ])("refuses %s with a ConfigError naming it", (_what, options, variable) => {
    expect(thrownBy(() => checkSourceOptions(options, rule))).toMatchObject({
      code: "CONFIG",
      variable,
      message: expect.stringMatching(/^fromTest: /),
    });
  });

  it("says where a cache option passed at the top belongs", () => {
    expect(thrownBy(() => checkSourceOptions({ maxTenants: 5 }, rule))).toMatchObject({
      message: expect.stringContaining("pass it as cache.maxTenants"),
    });
  });

  it.each(Object.entries(CANARY_KEYS))(
    "never repeats the %s canary given for a cache number",
    (_shape, key) => {
      const error = thrownBy(() => checkSourceOptions({ cache: { ttlMs: key } }, rule));
      expect(error).toMatchObject({ code: "CONFIG", variable: "cache.ttlMs" });
      expect(showsKey(key, error)).toBe(false);
    },
  );

  it("gives each option's origin: the configuration variable, or none for code", () => {
    const originOf = checkSourceOptions({ path: "/k", configuredBy: { path: "ONCEKEY_FILE_PATH" } }, rule);
    expect(originOf("path")).toEqual({ option: "path", factory: "fromTest", variable: "ONCEKEY_FILE_PATH" });
    expect(checkSourceOptions(undefined, rule)("path")).toEqual({
      option: "path",
      factory: "fromTest",
      variable: undefined,
    });
  });
});
