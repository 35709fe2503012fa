import { describe, expect, it, jest } from "@jest/globals";
import {
  ApiKey,
  chain,
  KeyFormatError,
  KeyNotFoundError,
  KeySourceError,
  type KeyProvider,
} from "../src/index.js";
import { type KeyChangeListener } from "../src/source.js";

function notFound(name: string, why: string): KeyProvider {
  return { name, getKey: () => Promise.reject(new KeyNotFoundError(why, { source: name })) };
}

function serving(name: string, raw: string): KeyProvider & { getKey: jest.Mock<KeyProvider["getKey"]> } {
  return {
    name,
    getKey: jest.fn<KeyProvider["getKey"]>(async () => ApiKey.from(raw, { source: `${name}:X` })),
  };
}

describe(chain.name, () => {
  it("returns the first key found, and its source names the link", async () => {
    const second = serving("env", "key-two");
    const third = serving("dotenv", "key-three");
    const key = await chain(notFound("file", "no file"), second, third).getKey();
    expect(key.reveal()).toBe("key-two");
    expect(key.source).toBe("env:X");
    expect(third.getKey).not.toHaveBeenCalled();
  });

  it("passes the request to each link", async () => {
    const link = serving("env", "k");
    await chain(link).getKey({ tenant: "acme" });
    expect(link.getKey).toHaveBeenCalledWith({ tenant: "acme" });
  });

  describe("when a link fails for another reason than 'not found'", () => {
    it.each([
      ["a malformed key", new KeyFormatError("bad", { source: "file:/k" })],
      ["a source failure", new KeySourceError("down", { source: "vault" })],
      ["a plain error", new Error("boom")],
    ])("stops at %s and reports it as is", async (_name, error) => {
      const after = serving("env", "k");
      const p = chain({ name: "file", getKey: () => Promise.reject(error) }, after).getKey();
      await expect(p).rejects.toBe(error);
      expect(after.getKey).not.toHaveBeenCalled();
    });
  });

  describe("when no link has a key", () => {
    it("lists all three attempts by name and reason", async () => {
      const p = chain(
        notFound("file", "ONCEKEY_FILE_PATH points to /run/secrets/oncehub, which does not exist."),
        notFound("env", "ONCEHUB_API_KEY is not set."),
        notFound("azure-keyvault", "Secret oncehub-key not found in vault."),
      ).getKey({ tenant: "acme" });
      await expect(p).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
        source: "chain(file,env,azure-keyvault)",
        attempts: [
          { provider: "file", error: expect.objectContaining({ code: "KEY_NOT_FOUND" }) },
          { provider: "env", error: expect.objectContaining({ code: "KEY_NOT_FOUND" }) },
          { provider: "azure-keyvault", error: expect.objectContaining({ code: "KEY_NOT_FOUND" }) },
        ],
      });
      const message = await p.catch((e: Error) => e.message);
      expect(message).toContain('for tenant "acme"');
      expect(message).toMatch(/1\. file: ONCEKEY_FILE_PATH points to/);
      expect(message).toMatch(/2\. env: ONCEHUB_API_KEY is not set\./);
      expect(message).toMatch(/3\. azure-keyvault: Secret oncehub-key not found/);
    });

    it("nests: an inner chain that finds nothing is a 'not found' link of the outer one", async () => {
      const inner = chain(notFound("a", "no a"), notFound("b", "no b"));
      const outer = chain(inner, serving("c", "key-c"));
      expect((await outer.getKey()).reveal()).toBe("key-c");
    });
  });

  it("forwards invalidate, watch and close to every link", async () => {
    const key = ApiKey.from("k");
    const stops = [jest.fn(), jest.fn()];
    const links = [0, 1].map((i) => ({
      name: `p${i}`,
      getKey: async () => key,
      invalidate: jest.fn(),
      watch: jest.fn((_listener: KeyChangeListener) => stops[i] as () => void),
      close: jest.fn(async () => undefined),
    }));
    const provider = chain(...links);
    provider.invalidate?.(key, { tenant: "t" });
    const listener = jest.fn();
    const stop = provider.watch?.(listener);
    stop?.();
    await provider.close?.();
    for (const [i, link] of links.entries()) {
      expect(link.invalidate).toHaveBeenCalledWith(key, { tenant: "t" });
      expect(link.watch).toHaveBeenCalledWith(listener);
      expect(stops[i]).toHaveBeenCalled();
      expect(link.close).toHaveBeenCalled();
    }
  });

  it("has no watch when no link can watch", () => {
    expect(chain(serving("a", "k")).watch).toBeUndefined();
  });

  it("needs at least one provider", () => {
    expect(() => chain()).toThrow(TypeError);
  });

  it("names the link that is not a provider, at once rather than on the first getKey", () => {
    expect(() => chain(serving("a", "k"), null as unknown as KeyProvider)).toThrow(
      /chain: link 2 is not a KeyProvider/,
    );
    expect(() => chain({ name: "x" } as unknown as KeyProvider)).toThrow(
      /chain: link 1 is not a KeyProvider/,
    );
  });
});
