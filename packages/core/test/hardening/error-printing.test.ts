import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { thrownBy } from "@oncekey/test-support";
import { ConfigError, KeySourceError, OnceHubClient } from "../../src/index.js";

describe("an error as a log prints it", () => {
  it("shows no field that was never set", () => {
    const error = thrownBy(() => new OnceHubClient({ keys: null as never })) as ConfigError;
    const printed = inspect(error);
    expect(printed).not.toContain("undefined");
    expect(printed).toMatch(/^ConfigError: OnceHubClient needs `keys`/);
    expect(Object.keys(error).sort()).toEqual(["code", "name", "variable"]);
  });

  it("still answers transient from the class, or as the constructor was told", () => {
    expect(new KeySourceError("down").transient).toBe(true);
    expect(new KeySourceError("refused", { transient: false }).transient).toBe(false);
    expect(new ConfigError("bad").transient).toBe(false);
  });
});
