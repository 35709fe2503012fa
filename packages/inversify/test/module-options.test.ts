import "reflect-metadata";
import { describe, expect, it } from "@jest/globals";
import { staticKey, type KeyProvider, type KeySource } from "@oncekey/core";
import { envSource } from "@oncekey/env";
import { Container } from "inversify";
import { ONCEKEY, OnceKeyModule } from "../src/index.js";
import { loadAsync, loadSync } from "./inversify-major.js";

/** What loading the module into a fresh container rejects with; the container binds nothing. */
async function refusal(module: OnceKeyModule): Promise<unknown> {
  const container = new Container();
  const error: unknown = await loadAsync(container, module).then(
    () => new Error("the load succeeded"),
    (reason: unknown) => reason,
  );
  expect(container.isBound(ONCEKEY.Client)).toBe(false);
  expect(container.isBound(ONCEKEY.KeyProvider)).toBe(false);
  return error;
}

const env = { ONCEHUB_API_KEY: "k-0123456789" };

// Options plain JavaScript (or an `as any`) can get wrong: each must fail the load with a ConfigError naming the
// option, never a TypeError from deep inside, a silent fallback to process.env, or an option silently ignored.
describe(OnceKeyModule.name, () => {
  describe("fromEnvironment", () => {
    it.each<[string, unknown, string]>([
      ["no options", undefined, "options"],
      ["sources that are not an array", { sources: "env" }, "sources"],
      ["a source that is not a KeySource", { sources: [envSource, null] }, "sources[1]"],
      ["env that is null", { sources: [envSource], env: null }, "env"],
      ["client options that are not an object", { sources: [envSource], env, client: "fast" }, "client"],
    ])("rejects the load for %s, naming the option", async (_, options, variable) => {
      await expect(refusal(OnceKeyModule.fromEnvironment(options as never))).resolves.toMatchObject({
        code: "CONFIG",
        variable,
      });
    });

    describe("when an option's name is unknown or misspelt", () => {
      it.each<[string, Record<string, unknown>, string, string]>([
        ["at the top", { sourcse: [envSource] }, "sourcse", "Did you mean sources?"],
        [
          "in client",
          { client: { timeout: { headersMs: 5_000 } } },
          "client.timeout",
          "Did you mean client.timeouts?",
        ],
        [
          "in client, with no near name",
          { client: { colour: "blue" } },
          "client.colour",
          "The options of client are",
        ],
      ])("rejects the load %s, naming it", async (_, bad, variable, hint) => {
        const module = OnceKeyModule.fromEnvironment({ sources: [envSource], env, ...bad } as never);

        await expect(refusal(module)).resolves.toMatchObject({
          code: "CONFIG",
          variable,
          message: expect.stringContaining(hint),
        });
      });

      it("says that a client option given beside client goes in it", async () => {
        const module = OnceKeyModule.fromEnvironment({ sources: [envSource], env, retry: false } as never);

        await expect(refusal(module)).resolves.toMatchObject({
          code: "CONFIG",
          variable: "retry",
          message: expect.stringContaining("pass it in `client`"),
        });
      });

      it.each([
        ["baseUrl", "ONCEHUB_BASE_URL"],
        ["ca", "ONCEKEY_CA_FILE"],
        ["keys", "ONCEKEY_SOURCE"],
      ])("says where %s comes from instead, and how to set it in code", async (name, variable) => {
        const module = OnceKeyModule.fromEnvironment({
          sources: [envSource],
          env,
          client: { [name]: "https://api.oncehub.com/v2" },
        } as never);

        await expect(refusal(module)).resolves.toMatchObject({
          code: "CONFIG",
          variable: `client.${name}`,
          message: expect.stringMatching(
            new RegExp(`${variable}.*OnceKeyModule\\.fromOptions\\(\\{ ${name} \\}\\)`),
          ),
        });
      });

      it("leaves the names inside a client option to the client, which names them too", async () => {
        const module = OnceKeyModule.fromEnvironment({
          sources: [envSource],
          env,
          client: { retry: { maxAttempt: 3 } } as never,
        });

        await expect(refusal(module)).resolves.toMatchObject({
          code: "CONFIG",
          variable: "retry.maxAttempt",
          message: expect.stringContaining("Did you mean retry.maxAttempts?"),
        });
      });

      it("accepts a name whose value is undefined, as a spread of defaults leaves it", async () => {
        const module = OnceKeyModule.fromEnvironment({
          sources: [envSource],
          env,
          client: { tenant: undefined } as never,
          ...({ typo: undefined } as object),
        });
        const container = new Container();

        loadSync(container, module);

        expect(container.isBound(ONCEKEY.Client)).toBe(true);
      });
    });
  });

  describe("fromOptions", () => {
    it.each<[string, unknown, string]>([
      ["no options", undefined, "options"],
      ["a CA that is neither text nor a Buffer", { keys: staticKey("k-1"), ca: 5 }, "ca"],
      ["keys that are not a KeyProvider", { keys: "k-0123456789" }, "keys"],
      [
        "variables that are not an object",
        { sources: [envSource], variables: "ONCEHUB_API_KEY=k" },
        "variables",
      ],
      ["a source that is not a KeySource", { sources: [{ name: "env" }] }, "sources[0]"],
    ])("rejects the load for %s, naming the option", async (_, options, variable) => {
      await expect(refusal(OnceKeyModule.fromOptions(options as never))).resolves.toMatchObject({
        code: "CONFIG",
        variable,
      });
    });

    it.each<[string, Record<string, unknown>, string, string]>([
      [
        "a misspelt client option",
        { baseURL: "https://api.oncehub.com/v2" },
        "baseURL",
        "Did you mean baseUrl?",
      ],
      [
        "a misspelt module option",
        { variabels: { ONCEHUB_API_KEY: "k-1" } },
        "variabels",
        "Did you mean variables?",
      ],
      ["an option of fromEnvironment", { env: {} }, "env", "The options are"],
    ])("rejects the load for %s, naming it", async (_, bad, variable, hint) => {
      const module = OnceKeyModule.fromOptions({ keys: staticKey("k-0123456789"), ...bad } as never);

      await expect(refusal(module)).resolves.toMatchObject({
        code: "CONFIG",
        variable,
        message: expect.stringContaining(hint),
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

      await expect(refusal(module)).resolves.toMatchObject({ code: "CONFIG" });
      expect(source.closes).toBe(1);
    });

    it("closes the provider it built (fromOptions with sources)", async () => {
      const source = closingSource();

      await expect(
        refusal(OnceKeyModule.fromOptions({ sources: [source], ...badClient })),
      ).resolves.toMatchObject({
        code: "CONFIG",
      });
      expect(source.closes).toBe(1);
    });

    it("leaves a provider it was given to its owner", async () => {
      let closes = 0;
      const keys: KeyProvider = {
        name: "given",
        getKey: () => staticKey("k-1").getKey(),
        close: async () => void closes++,
      };

      await expect(refusal(OnceKeyModule.fromOptions({ keys, ...badClient }))).resolves.toMatchObject({
        code: "CONFIG",
      });
      expect(closes).toBe(0);
    });
  });
});
