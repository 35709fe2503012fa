import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { staticKey, type KeyProvider, type KeySource } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";

// Options plain JavaScript (or an `as any`) can get wrong: each must fail the load with a ConfigError naming the
// option, never a TypeError from deep inside, nor a silent fallback to process.env.
describe(OnceKeyModule.name, () => {
  describe("fromEnvironment", () => {
    it.each<[string, unknown, string]>([
      ["no options", undefined, "options"],
      ["sources that are not an array", { sources: "env" }, "sources"],
      ["a source that is not a KeySource", { sources: [envSource, null] }, "sources"],
      ["env that is null", { sources: [envSource], env: null }, "env"],
      ["client options that are not an object", { sources: [envSource], env: {}, client: "fast" }, "client"],
    ])("rejects the load for %s, naming the option", async (_, options, variable) => {
      const container = new Container();

      await expect(container.load(OnceKeyModule.fromEnvironment(options as never))).rejects.toMatchObject({
        code: "CONFIG",
        variable,
      });
      expect(container.isBound(ONCEKEY.Client)).toBe(false);
    });
  });

  describe("fromOptions", () => {
    it.each<[string, unknown, string]>([
      ["no options", undefined, "options"],
      ["a CA that is neither text nor a Buffer", { keys: staticKey("k-1"), ca: 5 }, "ca"],
      [
        "variables that are not an object",
        { sources: [envSource], variables: "ONCEHUB_API_KEY=k" },
        "variables",
      ],
      ["a source that is not a KeySource", { sources: [{ name: "env" }] }, "sources"],
    ])("rejects the load for %s, naming the option", async (_, options, variable) => {
      await expect(new Container().load(OnceKeyModule.fromOptions(options as never))).rejects.toMatchObject({
        code: "CONFIG",
        variable,
      });
    });
  });

  describe("when the load fails after the provider was built", () => {
    /** A source whose providers count their closes. */
    function closingSource(): KeySource & { closes: number } {
      const source = {
        name: "closing",
        closes: 0,
        fromConfig: (): KeyProvider => ({
          name: "closing",
          getKey: () => staticKey("k-1").getKey(),
          close: async () => void (source.closes += 1),
        }),
      };
      return source;
    }
    const badClient = { pacing: { requestsPerSecond: 0 } };

    it("closes the provider it built (fromEnvironment), since no one else can", async () => {
      const source = closingSource();
      const module = OnceKeyModule.fromEnvironment({
        sources: [source],
        env: { ONCEKEY_SOURCE: "closing" },
        client: badClient,
      });

      await expect(new Container().load(module)).rejects.toMatchObject({ code: "CONFIG" });
      expect(source.closes).toBe(1);
    });

    it("closes the provider it built (fromOptions with sources)", async () => {
      const source = closingSource();

      await expect(
        new Container().load(OnceKeyModule.fromOptions({ sources: [source], ...badClient })),
      ).rejects.toMatchObject({ code: "CONFIG" });
      expect(source.closes).toBe(1);
    });
  });
});
