import { afterAll, describe, expect, it } from "@jest/globals";
import { rejectionOf, thrownBy } from "@oncekey/test-support";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { CANARY_KEYS, holdsKey, printedForms } from "@oncekey/sandbox";
import { loadConfig, OnceHubClient, staticKey } from "../src/index.js";

const shapes = Object.entries(CANARY_KEYS);
const dir = mkdtempSync(join(tmpdir(), "oncekey-wrong-setting-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a key pasted into the wrong setting", () => {
  describe("when it is ONCEKEY_CA_FILE", () => {
    it.each(shapes)("does not repeat the %s key, but names the variable and the shape", (_shape, key) => {
      const error = thrownBy(() => loadConfig({ ONCEKEY_CA_FILE: key }));
      expect(error).toMatchObject({ code: "CONFIG", variable: "ONCEKEY_CA_FILE" });
      expect((error as Error).message).toMatch(
        /^ONCEKEY_CA_FILE \(a relative path of \d+ characters\) cannot be read/,
      );
      expect(holdsKey(printedForms(error), key)).toBe(false);
    });

    it("still quotes an absolute path, with the system's error as cause", () => {
      const path = join(dir, "absent.pem");
      const error = thrownBy(() => loadConfig({ ONCEKEY_CA_FILE: path }));
      expect((error as Error).message).toContain(`ONCEKEY_CA_FILE=${path} cannot be read (ENOENT)`);
      expect((error as Error).cause).toMatchObject({ code: "ENOENT" });
    });
  });

  describe("when it is ONCEKEY_SOURCE", () => {
    it.each(shapes)("does not repeat the %s key", (_shape, key) => {
      const error = thrownBy(() => loadConfig({ ONCEKEY_SOURCE: key }));
      expect(error).toMatchObject({ code: "CONFIG", variable: "ONCEKEY_SOURCE" });
      expect(holdsKey(printedForms(error), key)).toBe(false);
    });

    it("gives the length of a source-name-shaped key instead", () => {
      expect(() => loadConfig({ ONCEKEY_SOURCE: CANARY_KEYS.hex })).toThrow(
        "ONCEKEY_SOURCE holds a name of 32 characters, which is not a key source. Use one of env, dotenv, file, " +
          "azure-keyvault.",
      );
    });

    it("still quotes a short unknown name", () => {
      expect(() => loadConfig({ ONCEKEY_SOURCE: "vault" })).toThrow('ONCEKEY_SOURCE names "vault", which');
    });
  });

  describe("when it is ONCEHUB_BASE_URL", () => {
    const colonKey = "ohk7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e";

    it("does not repeat what precedes a colon as a scheme", () => {
      const error = thrownBy(() => loadConfig({ ONCEHUB_BASE_URL: `${colonKey}:x` }));
      expect(error).toMatchObject({ code: "CONFIG", variable: "ONCEHUB_BASE_URL" });
      expect((error as Error).message).toContain("ONCEHUB_BASE_URL is not an https:// URL.");
      expect(holdsKey(printedForms(error), colonKey)).toBe(false);
    });

    it.each(shapes)("does not repeat the %s key", (_shape, key) => {
      expect(holdsKey(printedForms(thrownBy(() => loadConfig({ ONCEHUB_BASE_URL: key }))), key)).toBe(false);
    });

    it("still says an http URL uses http", () => {
      expect(() => loadConfig({ ONCEHUB_BASE_URL: "http://api.oncehub.com/v2" })).toThrow(
        "ONCEHUB_BASE_URL uses http, but the API key may only travel over https.",
      );
    });
  });

  describe("when it is the client's baseUrl option", () => {
    const keys = staticKey("k-not-the-canary");

    it.each([...shapes, ["colon", "ohk7f3a9c2e5b1d4f6a8c0e2b4d6f8a1c3e:abc"]])(
      "does not repeat the %s key",
      (_shape, key) => {
        const error = thrownBy(() => new OnceHubClient({ keys, baseUrl: key }));
        expect(error).toMatchObject({ code: expect.stringMatching(/^(CONFIG|INSECURE_TRANSPORT)$/) });
        expect(holdsKey(printedForms(error), key.split(":")[0] as string)).toBe(false);
      },
    );

    it("says what is wrong with a value that is not a URL", () => {
      expect(() => new OnceHubClient({ keys, baseUrl: CANARY_KEYS.dashed })).toThrow(
        "baseUrl (a value of 43 characters) is not a URL. Use the API base, e.g. https://api.oncehub.com/v2.",
      );
    });

    it("still refuses an http URL as insecure transport", () => {
      expect(() => new OnceHubClient({ keys, baseUrl: "http://api.oncehub.com/v2" })).toThrow(
        expect.objectContaining({
          code: "INSECURE_TRANSPORT",
          message: expect.stringContaining("baseUrl uses http"),
        }),
      );
    });
  });
});

describe("a key passed as a request's method or path", () => {
  const client = new OnceHubClient({ keys: staticKey("the-real-key-of-this-client-0123456789") });
  const closed = new OnceHubClient({ keys: staticKey("the-real-key-of-this-client-0123456789") });
  afterAll(async () => {
    await client.close();
  });

  it.each(shapes)("does not repeat the %s key given as the method", async (_shape, key) => {
    const error = await rejectionOf(client.request(key, "/test"));
    expect(error).toBeInstanceOf(TypeError);
    expect(holdsKey(printedForms(error), key)).toBe(false);
    expect((error as Error).message).toMatch(/got a string of \d+ characters/);
  });

  it.each(shapes)("does not repeat the %s key in a path to another host or origin", async (_shape, key) => {
    for (const path of [`//${key}`, `https://x/${key}`, `/../${key}`]) {
      const error = await rejectionOf(client.request("GET", path));
      expect(error).toMatchObject({ code: "INSECURE_TRANSPORT" });
      expect(holdsKey(printedForms(error), key)).toBe(false);
    }
  });

  it.each(shapes)("does not repeat the %s key in a path given to a closed client", async (_shape, key) => {
    await closed.close();
    const error = await rejectionOf(closed.request("GET", `/${key}`));
    expect(error).toMatchObject({ code: "NETWORK" });
    expect(holdsKey(printedForms(error), key)).toBe(false);
  });

  it("still shows a short method that is not a word", async () => {
    await expect(client.request("GE T", "/test")).rejects.toThrow('got "GE T"');
  });
});

describe(`${loadConfig.name}'s env`, () => {
  const key = CANARY_KEYS.dashed;
  const config = loadConfig({ ONCEKEY_SOURCE: "env", ONCEHUB_API_KEY: key, HOME: "/root" });

  it("hands no value to a spread, Object.entries, structuredClone or a plain inspect", () => {
    expect(holdsKey(JSON.stringify({ ...config.env }), key)).toBe(false);
    expect(holdsKey(JSON.stringify(Object.entries(config.env)), key)).toBe(false);
    expect(holdsKey(printedForms(structuredClone(config)), key)).toBe(false);
    expect(holdsKey(inspect(config.env, { customInspect: false }), key)).toBe(false);
    expect(holdsKey(JSON.stringify(Object.getOwnPropertyDescriptors(config.env)), key)).toBe(false);
    expect(holdsKey(printedForms(config), key)).toBe(false);
  });

  it("still reads each variable, and names them when printed", () => {
    expect(config.env.ONCEHUB_API_KEY).toBe(key);
    expect(Object.hasOwn(config.env, "ONCEHUB_API_KEY")).toBe(true);
    expect(Object.hasOwn(config.env, "toJSON")).toBe(false);
    expect(JSON.stringify(config.env)).toBe(
      '{"ONCEKEY_SOURCE":"[redacted]","ONCEHUB_API_KEY":"[redacted]","HOME":"[redacted]"}',
    );
    expect(inspect(config.env)).toBe(
      "Environment { ONCEKEY_SOURCE, ONCEHUB_API_KEY, HOME } (values redacted)",
    );
  });
});
