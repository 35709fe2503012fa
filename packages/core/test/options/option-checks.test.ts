import { describe, expect, it } from "@jest/globals";
import { CANARY_KEYS, holdsKey, printedForms } from "@oncekey/sandbox";
import { thrownBy } from "@oncekey/test-support";
import { ConfigError } from "../../src/index.js";
import {
  checkOptionNames,
  choiceOption,
  describeOptionValue,
  functionOption,
  MAX_TIMER_MS,
  numberOption,
} from "../../src/source.js";

describe(checkOptionNames.name, () => {
  const known = ["maxAttempts", "baseDelayMs", "maxDelayMs", "maxElapsedMs"];

  it("passes known names, absent options and names whose value is undefined", () => {
    expect(() => checkOptionNames(undefined, known, "OnceHubClient", "retry")).not.toThrow();
    expect(() => checkOptionNames({ maxAttempts: 3 }, known, "OnceHubClient", "retry")).not.toThrow();
    expect(() => checkOptionNames({ other: undefined }, known, "OnceHubClient", "retry")).not.toThrow();
  });

  it("names a misspelt option and the one that was meant", () => {
    const error = thrownBy(() => checkOptionNames({ maxAttempt: 3 }, known, "OnceHubClient", "retry"));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      code: "CONFIG",
      variable: "retry.maxAttempt",
      message:
        "OnceHubClient: unknown option retry.maxAttempt. Did you mean retry.maxAttempts? The options of retry are: " +
        "maxAttempts, baseDelayMs, maxDelayMs, maxElapsedMs.",
    });
  });

  it("suggests nothing for a name far from every option", () => {
    const error = thrownBy(() => checkOptionNames({ colour: "red" }, ["keys", "baseUrl"], "OnceHubClient"));
    expect((error as Error).message).toBe(
      "OnceHubClient: unknown option colour. The options are: keys, baseUrl.",
    );
  });

  it("refuses options that are not an object, by type", () => {
    for (const bad of ["x", 42, null, [1]]) {
      expect(thrownBy(() => checkOptionNames(bad, known, "OnceHubClient", "retry"))).toMatchObject({
        code: "CONFIG",
        variable: "retry",
      });
    }
  });

  it("never repeats a name that could be a key", () => {
    for (const key of Object.values(CANARY_KEYS)) {
      const error = thrownBy(() => checkOptionNames({ [key]: 1 }, known, "fromFile"));
      expect(error).toMatchObject({ code: "CONFIG" });
      expect(holdsKey(printedForms(error), key)).toBe(false);
    }
  });
});

describe(numberOption.name, () => {
  it("returns the value within the range, or the default when absent", () => {
    expect(numberOption(5, "connections", 64, { min: 1, integer: true }, "OnceHubClient")).toBe(5);
    expect(numberOption(undefined, "connections", 64, { min: 1, integer: true }, "OnceHubClient")).toBe(64);
  });

  it("refuses values out of range, not whole, not finite or not numbers, naming the option", () => {
    const rule = { min: 1, max: 1024, integer: true };
    for (const bad of [0, 1025, 1e9, 1.5, NaN, Infinity, "5", null, {}]) {
      expect(thrownBy(() => numberOption(bad, "connections", 64, rule, "OnceHubClient"))).toMatchObject({
        code: "CONFIG",
        variable: "connections",
      });
    }
    expect(
      (thrownBy(() => numberOption(1e9, "connections", 64, rule, "OnceHubClient")) as Error).message,
    ).toBe("OnceHubClient: connections must be a whole number from 1 to 1024, got 1000000000.");
  });

  it("takes an exclusive minimum and caps delays at what a timer can hold", () => {
    expect(() => numberOption(0, "timeouts.connectMs", 1, { exclusiveMin: true }, "x")).toThrow(ConfigError);
    expect(() => numberOption(MAX_TIMER_MS + 1, "timeouts.connectMs", 1, {}, "x")).toThrow(ConfigError);
  });

  it("describes a string by its length, never its text", () => {
    const key = CANARY_KEYS.dashed;
    const error = thrownBy(() => numberOption(key, "timeouts.headersMs", 1, {}, "OnceHubClient"));
    expect((error as Error).message).toBe(
      "OnceHubClient: timeouts.headersMs must be a number from 0 to 2147483647, got a string of 43 characters.",
    );
    expect(holdsKey(printedForms(error), key)).toBe(false);
  });
});

describe(functionOption.name, () => {
  it("returns a function or undefined, and refuses anything else", () => {
    const listener = (): void => undefined;
    expect(functionOption(listener, "onEvent", "receives each event", "x")).toBe(listener);
    expect(functionOption(undefined, "onEvent", "receives each event", "x")).toBeUndefined();
    expect(thrownBy(() => functionOption("log", "onEvent", "receives each event", "x"))).toMatchObject({
      variable: "onEvent",
      message: "x: onEvent must be a function that receives each event, got a string of 3 characters.",
    });
  });
});

describe(choiceOption.name, () => {
  it("returns one of the choices, the default when absent, and refuses others", () => {
    const choices = ["refuse", "warn", "ignore"] as const;
    expect(choiceOption("refuse", "permissions", choices, "warn", "fromFile")).toBe("refuse");
    expect(choiceOption(undefined, "permissions", choices, "warn", "fromFile")).toBe("warn");
    expect(thrownBy(() => choiceOption("strict", "permissions", choices, "warn", "fromFile"))).toMatchObject({
      variable: "permissions",
      message:
        'fromFile: permissions must be one of "refuse", "warn", "ignore", got a string of 6 characters.',
    });
  });
});

describe(describeOptionValue.name, () => {
  it("shows numbers and booleans, describes everything else", () => {
    expect([1.5, -1, NaN, true, null, undefined, "abc", [], {}, () => 1].map(describeOptionValue)).toEqual([
      "1.5",
      "-1",
      "NaN",
      "true",
      "null",
      "undefined",
      "a string of 3 characters",
      "an array",
      "an object",
      "a function",
    ]);
  });
});
