import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { staticKey, type OnceHubClient } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { CANARY_KEYS } from "@oncekey/sandbox";
import { rejectionOf, showsKey } from "@oncekey/test-support";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { loadAsync } from "./inversify-major.js";
import { useContainers } from "./module-harness.js";

const shapes = Object.entries(CANARY_KEYS);

/** Builds the module and loads it into a fresh container; whatever either throws. */
function loading(make: () => OnceKeyModule): Promise<unknown> {
  return rejectionOf(Promise.resolve().then(() => loadAsync(new Container(), make())));
}

describe("a key passed where OnceKeyModule's options belong", () => {
  const containers = useContainers();

  describe.each(["fromOptions", "fromEnvironment"] as const)("when it is %s's options", (factory) => {
    it.each(shapes)("does not repeat the %s key, but gives its type and length", async (_shape, key) => {
      const error = await loading(() => OnceKeyModule[factory](key as never));
      expect(error).toMatchObject({
        code: "CONFIG",
        variable: "options",
        message: `OnceKeyModule.${factory} needs an options object, got a string of ${key.length} characters.`,
      });
      expect(showsKey(key, error)).toBe(false);
    });

    it("shows a number as it is", async () => {
      await expect(loading(() => OnceKeyModule[factory](42 as never))).resolves.toMatchObject({
        message: `OnceKeyModule.${factory} needs an options object, got 42.`,
      });
    });
  });

  it.each(shapes)("does not repeat the %s key passed as baseUrl", async (_shape, key) => {
    const error = await loading(() =>
      OnceKeyModule.fromOptions({ keys: staticKey("k-abc-0123"), baseUrl: key }),
    );
    expect(error).toMatchObject({ code: "CONFIG", variable: "baseUrl" });
    expect(showsKey(key, error)).toBe(false);
  });

  it.each(shapes)("does not repeat the %s key passed as keys", async (_shape, key) => {
    const error = await loading(() => OnceKeyModule.fromOptions({ keys: key as never }));
    expect(error).toMatchObject({ code: "CONFIG", variable: "keys" });
    expect(showsKey(key, error)).toBe(false);
  });

  it.each(shapes)("does not repeat the %s key passed as an option's name", async (_shape, key) => {
    const error = await loading(() =>
      OnceKeyModule.fromEnvironment({ sources: [envSource], env: {}, client: { [key]: true } as never }),
    );
    expect(error).toMatchObject({ code: "CONFIG" });
    expect(showsKey(key, error)).toBe(false);
  });

  it.each(shapes.filter(([shape]) => shape === "base64url" || shape === "hex"))(
    "does not repeat the %s key given as ONCEKEY_ENV_VAR",
    async (_shape, key) => {
      const module = OnceKeyModule.fromEnvironment({ sources: [envSource], env: { ONCEKEY_ENV_VAR: key } });
      const container = await containers.load(module);
      const client = container.get<OnceHubClient>(ONCEKEY.Client);
      const error = await rejectionOf(client.test());
      expect(error).toMatchObject({ code: "KEY_NOT_FOUND" });
      expect(showsKey(key, error)).toBe(false);
    },
  );
});
