import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { staticKey, type OnceHubClient } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { Container } from "inversify";
import { CANARY_KEYS, holdsKey, printedForms } from "@oncekey/sandbox";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { useContainers } from "./module-harness.js";

const shapes = Object.entries(CANARY_KEYS);

/** Builds the module and loads it into a fresh container; whatever either throws. */
function loading(make: () => OnceKeyModule): Promise<unknown> {
  return rejectionOf(Promise.resolve().then(() => new Container().load(make())));
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
      expect(holdsKey(printedForms(error), key)).toBe(false);
    });

    it("names only the type of other values", async () => {
      await expect(loading(() => OnceKeyModule[factory](42 as never))).resolves.toMatchObject({
        message: `OnceKeyModule.${factory} needs an options object, got a number.`,
      });
    });
  });

  it.each(shapes)("does not repeat the %s key passed as baseUrl", async (_shape, key) => {
    const error = await loading(() =>
      OnceKeyModule.fromOptions({ keys: staticKey("k-abc-0123"), baseUrl: key }),
    );
    expect(error).toMatchObject({ code: "CONFIG", variable: "baseUrl" });
    expect(holdsKey(printedForms(error), key)).toBe(false);
  });

  it.each(shapes.filter(([shape]) => shape === "base64url" || shape === "hex"))(
    "does not repeat the %s key given as ONCEKEY_ENV_VAR",
    async (_shape, key) => {
      const module = OnceKeyModule.fromEnvironment({ sources: [envSource], env: { ONCEKEY_ENV_VAR: key } });
      const container = await containers.load(module);
      const client = container.get<OnceHubClient>(ONCEKEY.Client);
      const error = await rejectionOf(client.test());
      expect(error).toMatchObject({ code: "KEY_NOT_FOUND" });
      expect(holdsKey(printedForms(error), key)).toBe(false);
    },
  );
});

/** What `promise` rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
