import { writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { resolveKeyProvider, type KeyProvider } from "@oncekey/core";
import { dotenvSource, envSource } from "../src/index.js";
import { useTempDir } from "@oncekey/test-support";
import { canaryKey } from "./helpers.js";

describe("envSource and dotenvSource", () => {
  const dir = useTempDir();

  const resolve = (env: Record<string, string | undefined>): KeyProvider =>
    dir.track(resolveKeyProvider(env, [envSource, dotenvSource]));

  it("are descriptors named for ONCEKEY_SOURCE", () => {
    expect(envSource).toMatchObject({ name: "env", packageName: "@oncekey/env" });
    expect(dotenvSource).toMatchObject({ name: "dotenv", packageName: "@oncekey/env" });
    expect(envSource.variables).toContain("ONCEKEY_ENV_VAR");
    expect(dotenvSource.variables).toContain("ONCEKEY_DOTENV_PATH");
  });

  describe(`${envSource.name} (the default source)`, () => {
    it("reads the key from the env given to resolveKeyProvider, not process.env", async () => {
      const raw = canaryKey();
      const key = await resolve({ ONCEHUB_API_KEY: raw }).getKey();
      expect(key.reveal()).toBe(raw);
      expect(key.source).toBe("env:ONCEHUB_API_KEY");
      expect(process.env.ONCEHUB_API_KEY).not.toBe(raw);
    });

    it("reads the variable named by ONCEKEY_ENV_VAR, {tenant} included", async () => {
      const keys = resolve({
        ONCEKEY_ENV_VAR: "ONCEHUB_API_KEY_{tenant}",
        ONCEHUB_API_KEY_ACME_EU: "acme-key",
      });
      expect((await keys.getKey({ tenant: "acme-eu" })).reveal()).toBe("acme-key");
    });

    it("rejects a bad ONCEKEY_ENV_VAR at once with a ConfigError naming it, not echoing it", () => {
      const env = { ONCEKEY_ENV_VAR: "canary-0123456789" };
      expect(() => resolve(env)).toThrow(
        expect.objectContaining({ code: "CONFIG", variable: "ONCEKEY_ENV_VAR" }),
      );
      expect(() => resolve(env)).not.toThrow(/canary/);
    });

    it("answers KEY_NOT_FOUND at getKey when the key variable is unset", async () => {
      await expect(resolve({}).getKey()).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
    });

    it("reads only variables, not what the configuration object inherits", async () => {
      await expect(resolve({ ONCEKEY_ENV_VAR: "toJSON" }).getKey()).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
      });
    });
  });

  describe(dotenvSource.name, () => {
    it("reads the file named by ONCEKEY_DOTENV_PATH", async () => {
      await writeFile(join(dir.path, "app.env"), "ONCEHUB_API_KEY=dotenv-key\n", { mode: 0o600 });
      const keys = resolve({ ONCEKEY_SOURCE: "dotenv", ONCEKEY_DOTENV_PATH: join(dir.path, "app.env") });
      const key = await keys.getKey();
      expect(key.reveal()).toBe("dotenv-key");
      expect(key.source).toBe(`dotenv:${join(dir.path, "app.env")}#ONCEHUB_API_KEY`);
    });

    it("takes several paths separated by the path delimiter, first wins", async () => {
      await writeFile(join(dir.path, ".env.local"), "ONCEHUB_API_KEY=local-key\n", { mode: 0o600 });
      await writeFile(join(dir.path, ".env"), "ONCEHUB_API_KEY=base-key\n", { mode: 0o600 });
      const keys = resolve({
        ONCEKEY_SOURCE: "dotenv",
        ONCEKEY_DOTENV_PATH: [join(dir.path, ".env.local"), join(dir.path, ".env")].join(delimiter),
      });
      expect((await keys.getKey()).reveal()).toBe("local-key");
    });

    it("uses ONCEKEY_ENV_VAR as the variable in the file", async () => {
      await writeFile(join(dir.path, ".env"), "ONCEHUB_API_KEY_GLOBEX=globex-key\n", { mode: 0o600 });
      const keys = resolve({
        ONCEKEY_SOURCE: "dotenv",
        ONCEKEY_DOTENV_PATH: join(dir.path, ".env"),
        ONCEKEY_ENV_VAR: "ONCEHUB_API_KEY_{tenant}",
      });
      expect((await keys.getKey({ tenant: "globex" })).reveal()).toBe("globex-key");
    });

    it("rejects {tenant} in ONCEKEY_DOTENV_PATH at once", () => {
      expect(() => resolve({ ONCEKEY_SOURCE: "dotenv", ONCEKEY_DOTENV_PATH: "/keys/{tenant}.env" })).toThrow(
        expect.objectContaining({ code: "CONFIG", variable: "ONCEKEY_DOTENV_PATH" }),
      );
    });
  });

  describe("when ONCEKEY_SOURCE is dotenv,env", () => {
    it("serves the .env key when the file has one", async () => {
      await writeFile(join(dir.path, ".env"), "ONCEHUB_API_KEY=dotenv-key\n", { mode: 0o600 });
      const keys = resolve({
        ONCEKEY_SOURCE: "dotenv,env",
        ONCEKEY_DOTENV_PATH: join(dir.path, ".env"),
        ONCEHUB_API_KEY: "env-key",
      });
      expect((await keys.getKey()).reveal()).toBe("dotenv-key");
    });

    it("falls through to the environment when the file is absent", async () => {
      const keys = resolve({
        ONCEKEY_SOURCE: "dotenv,env",
        ONCEKEY_DOTENV_PATH: join(dir.path, "absent.env"),
        ONCEHUB_API_KEY: "env-key",
      });
      const key = await keys.getKey();
      expect(key.reveal()).toBe("env-key");
      expect(key.source).toBe("env:ONCEHUB_API_KEY");
    });

    it("stops at a .env key that is configured but broken", async () => {
      await writeFile(join(dir.path, ".env"), "ONCEHUB_API_KEY=\n", { mode: 0o600 });
      const keys = resolve({
        ONCEKEY_SOURCE: "dotenv,env",
        ONCEKEY_DOTENV_PATH: join(dir.path, ".env"),
        ONCEHUB_API_KEY: "env-key",
      });
      await expect(keys.getKey()).rejects.toMatchObject({ code: "KEY_FORMAT" });
    });

    it("names both sources when neither has a key", async () => {
      const keys = resolve({
        ONCEKEY_SOURCE: "dotenv,env",
        ONCEKEY_DOTENV_PATH: join(dir.path, "absent.env"),
      });
      await expect(keys.getKey()).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
        attempts: [
          expect.objectContaining({ provider: "dotenv" }),
          expect.objectContaining({ provider: "env" }),
        ],
      });
    });
  });
});
