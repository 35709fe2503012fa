import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "@jest/globals";
import { thrownBy } from "@oncekey/test-support";
import { chain, staticKey } from "@oncekey/core";
import { fromEnv } from "../src/index.js";
import { eventLog } from "@oncekey/test-support";
import { canaryKey } from "./helpers.js";

describe(fromEnv.name, () => {
  describe("when the variable is set", () => {
    it("serves the key with source env:<VARIABLE>", async () => {
      const raw = canaryKey();
      const key = await fromEnv({ env: { ONCEHUB_API_KEY: raw } }).getKey();
      expect(key.reveal()).toBe(raw);
      expect(key.source).toBe("env:ONCEHUB_API_KEY");
    });

    it("reads the variable named by `variable`", async () => {
      const key = await fromEnv({
        variable: "MY_KEY",
        env: { MY_KEY: "k1", ONCEHUB_API_KEY: "k2" },
      }).getKey();
      expect(key.reveal()).toBe("k1");
      expect(key.source).toBe("env:MY_KEY");
    });

    it("drops one trailing newline", async () => {
      const key = await fromEnv({ env: { ONCEHUB_API_KEY: "abc\n" } }).getKey();
      expect(key.reveal()).toBe("abc");
    });

    it("reads once and serves the cached key, with a key:loaded event", async () => {
      const env: Record<string, string> = { ONCEHUB_API_KEY: "first" };
      const { events, onEvent } = eventLog();
      const keys = fromEnv({ env, onEvent });
      const first = await keys.getKey();
      env.ONCEHUB_API_KEY = "second";
      expect((await keys.getKey()).reveal()).toBe("first");
      keys.invalidate?.(first);
      expect((await keys.getKey()).reveal()).toBe("second");
      expect(events.map((e) => e.type)).toEqual([
        "key:loaded",
        "key:invalidated",
        "key:loaded",
        "key:rotated",
      ]);
    });
  });

  describe("when `env` is not given", () => {
    const saved = process.env.ONCEKEY_TEST_FROM_ENV;
    afterEach(() => {
      if (saved === undefined) delete process.env.ONCEKEY_TEST_FROM_ENV;
      else process.env.ONCEKEY_TEST_FROM_ENV = saved;
    });

    it("reads process.env at getKey, not when the provider is made", async () => {
      delete process.env.ONCEKEY_TEST_FROM_ENV;
      const keys = fromEnv({ variable: "ONCEKEY_TEST_FROM_ENV" });
      process.env.ONCEKEY_TEST_FROM_ENV = "late-key";
      expect((await keys.getKey()).reveal()).toBe("late-key");
    });
  });

  describe("when the variable is missing", () => {
    it("rejects with KEY_NOT_FOUND naming the variable", async () => {
      await expect(fromEnv({ env: {} }).getKey()).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
        source: "env:ONCEHUB_API_KEY",
        message: expect.stringContaining("ONCEHUB_API_KEY is not set"),
      });
    });

    it("lets a chain move on", async () => {
      const key = await chain(fromEnv({ env: {} }), staticKey("fallback")).getKey();
      expect(key.source).toBe("static");
    });
  });

  describe("when the variable is empty or malformed", () => {
    it.each([
      ["empty", "", "is empty"],
      ["a space inside", "canary-ab cd", "contains a space"],
      ["CR LF", "canary-abcd\r\n", "Windows line ending"],
      ["a BOM", "\uFEFFcanary-abcd", "byte order mark"],
    ])("rejects %s with KEY_FORMAT, never showing the key", async (_, raw, problem) => {
      const error = await fromEnv({ env: { ONCEHUB_API_KEY: raw } })
        .getKey()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "KEY_FORMAT", source: "env:ONCEHUB_API_KEY" });
      expect((error as Error).message).toContain(problem);
      expect((error as Error).message).not.toContain("canary");
      expect(inspect(error)).not.toContain("canary");
    });

    it("stops a chain instead of falling through", async () => {
      const keys = chain(fromEnv({ env: { ONCEHUB_API_KEY: "" } }), staticKey("fallback"));
      await expect(keys.getKey()).rejects.toMatchObject({ code: "KEY_FORMAT" });
    });
  });

  describe("when the variable holds {tenant}", () => {
    const env = {
      ONCEHUB_API_KEY_ACME_EU: "acme-key",
      ONCEHUB_API_KEY_GLOBEX: "globex-key",
      ONCEHUB_API_KEY: "default",
    };
    const keys = (): ReturnType<typeof fromEnv> => fromEnv({ variable: "ONCEHUB_API_KEY_{tenant}", env });

    it("reads each tenant's variable: upper case, '-' as '_'", async () => {
      const provider = keys();
      const acme = await provider.getKey({ tenant: "acme-eu" });
      expect(acme.reveal()).toBe("acme-key");
      expect(acme.source).toBe("env:ONCEHUB_API_KEY_ACME_EU");
      expect((await provider.getKey({ tenant: "globex" })).reveal()).toBe("globex-key");
    });

    it("rejects an unknown tenant with KEY_NOT_FOUND naming its variable", async () => {
      await expect(keys().getKey({ tenant: "initech" })).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
        message: expect.stringContaining("ONCEHUB_API_KEY_INITECH"),
      });
    });

    it("refuses ids that would share another id's variable", async () => {
      const provider = keys();
      await provider.getKey({ tenant: "acme-eu" });
      for (const tenant of ["acme_eu", "ACME-EU", "Acme-eu"]) {
        await expect(provider.getKey({ tenant })).rejects.toMatchObject({ code: "INVALID_TENANT", tenant });
      }
    });

    it("refuses invalid tenant ids before reading", async () => {
      const reads: string[] = [];
      const spy = new Proxy(env, {
        get: (target, name: string) => (reads.push(name), target[name as keyof typeof env]),
      });
      const provider = fromEnv({ variable: "ONCEHUB_API_KEY_{tenant}", env: spy });
      await expect(provider.getKey({ tenant: "../etc" })).rejects.toMatchObject({ code: "INVALID_TENANT" });
      expect(reads).toEqual([]);
    });

    it("says KEY_NOT_FOUND for a request without tenant, so a chain can serve a default key", async () => {
      await expect(keys().getKey()).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      const key = await chain(keys(), fromEnv({ env })).getKey();
      expect(key.source).toBe("env:ONCEHUB_API_KEY");
    });

    it("uses tenantToVariable for ids the default mapping refuses, and keeps them apart", async () => {
      const provider = fromEnv({
        variable: "KEY_{tenant}",
        env: { KEY_ACME__EU: "underscore", KEY_ACME_EU: "dash" },
        tenantToVariable: (tenant) =>
          `KEY_${tenant.toUpperCase().replaceAll("_", "__").replaceAll("-", "_")}`,
      });
      expect((await provider.getKey({ tenant: "acme_eu" })).reveal()).toBe("underscore");
      expect((await provider.getKey({ tenant: "acme-eu" })).reveal()).toBe("dash");
    });

    it("refuses a second tenant that a custom mapping sends to a variable already served", async () => {
      const provider = fromEnv({
        variable: "KEY_{tenant}",
        env: { KEY_ACME: "acme" },
        tenantToVariable: (tenant) => `KEY_${tenant.toUpperCase()}`,
      });
      await provider.getKey({ tenant: "acme" });
      await expect(provider.getKey({ tenant: "ACME" })).rejects.toMatchObject({ code: "INVALID_TENANT" });
    });
  });

  describe("when the variable has no {tenant}", () => {
    it("serves no tenant, as the key belongs to none", async () => {
      await expect(
        fromEnv({ env: { ONCEHUB_API_KEY: "k" } }).getKey({ tenant: "acme" }),
      ).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
      });
    });
  });

  describe("when an option is wrong", () => {
    it("throws at once, without echoing the value", () => {
      const error = thrownBy(() => fromEnv({ variable: "canary-0123" }));
      expect(error).toMatchObject({ code: "CONFIG", variable: "variable" });
      expect((error as Error).message).not.toMatch(/canary/);
      expect(() => fromEnv({ variable: "{tenant}" })).toThrow(/fixed prefix/);
    });

    it.each([
      ["null options", null, "options"],
      ["a string for options", "ONCEHUB_API_KEY", "options"],
      ["a null env", { env: null }, "env"],
      ["a string env", { env: "ONCEHUB_API_KEY=k" }, "env"],
      ["a string cache", { cache: "none" }, "cache"],
      ["a number for the variable", { variable: 42 }, "variable"],
      ["a string for tenantToVariable", { tenantToVariable: "upper" }, "tenantToVariable"],
      ["tenantToVariable without {tenant}", { tenantToVariable: (t: string) => t }, "variable"],
      ["a misspelt option", { varible: "ONCEHUB_API_KEY" }, "varible"],
      ["a cache option passed flat", { ttlMs: 5_000 }, "ttlMs"],
      ["an unknown cache option", { cache: { maxTenant: 5 } }, "cache.maxTenant"],
    ])("throws a ConfigError naming the option at once for %s", (_what, options, variable) => {
      const error = thrownBy(() => fromEnv(options as Parameters<typeof fromEnv>[0]));
      expect(error).toMatchObject({ code: "CONFIG", variable });
      expect((error as Error).message).toMatch(/^fromEnv: /);
    });
  });
});
