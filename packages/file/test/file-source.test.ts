import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { createRequire } from "node:module";
import { join } from "node:path";
import { resolveKeyProvider, type KeyProvider } from "@oncekey/core";
import { fileSource } from "../src/index.js";
import { eventually } from "@oncekey/test-support";
import { envSource } from "./support/env-source.js";
import { writeKeyFile } from "./support/key-file.js";
import { useKeyFiles } from "./support/use-key-files.js";

const require = createRequire(__filename);
const fs = require("node:fs") as Record<string, (...args: unknown[]) => unknown>;

const files = useKeyFiles();
const keyFile = (name: string, key: string, mode?: number): Promise<string> =>
  writeKeyFile(join(files.dir, name), key, mode);
const resolve = (env: Record<string, string | undefined>): KeyProvider =>
  files.track(resolveKeyProvider(env, [fileSource, envSource]));

afterEach(() => {
  jest.restoreAllMocks();
});

describe("fileSource", () => {
  it("describes itself for configuration and doctor output", () => {
    expect(fileSource).toMatchObject({
      name: "file",
      packageName: "@oncekey/file",
      variables: ["ONCEKEY_FILE_PATH", "ONCEKEY_FILE_WATCH", "ONCEKEY_FILE_PERMISSIONS"],
    });
  });

  describe("when ONCEKEY_SOURCE=file", () => {
    it("serves the key of ONCEKEY_FILE_PATH", async () => {
      const path = await keyFile("oncehub", "ohk_from_config");
      const key = await resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: path }).getKey();
      expect(key.reveal()).toBe("ohk_from_config");
      expect(key.source).toBe(`file:${path}`);
    });

    it("takes {tenant} in ONCEKEY_FILE_PATH", async () => {
      const path = await keyFile("acme", "ohk_acme");
      const keys = resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: join(files.dir, "{tenant}") });
      await expect(keys.getKey({ tenant: "acme" })).resolves.toMatchObject({ source: `file:${path}` });
    });

    it("is a configuration error naming ONCEKEY_FILE_PATH when it is not set", () => {
      expect(() => resolve({ ONCEKEY_SOURCE: "file" })).toThrow(
        expect.objectContaining({ code: "CONFIG", variable: "ONCEKEY_FILE_PATH" }),
      );
      expect(() => resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: " " })).toThrow(/ONCEKEY_FILE_PATH/);
    });

    it("is a configuration error, not echoing the value, for a bare name that could be a key pasted there", () => {
      const attempt = (): KeyProvider =>
        resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: "canary-Zt8Qw3Lp6Rv1Xn4K" });
      expect(attempt).toThrow(expect.objectContaining({ code: "CONFIG", variable: "ONCEKEY_FILE_PATH" }));
      expect(attempt).toThrow(/e\.g\. \/run\/secrets\/oncehub_api_key or \.\/oncehub_api_key/);
      expect(attempt).not.toThrow(/canary/);
    });

    it("is a configuration error naming ONCEKEY_FILE_PATH for a path that cannot work", () => {
      expect(() => resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: "/{tenant}" })).toThrow(
        expect.objectContaining({ code: "CONFIG", variable: "ONCEKEY_FILE_PATH" }),
      );
    });
  });

  describe("when ONCEKEY_SOURCE=file,env", () => {
    it("falls through to the environment while the file is absent, and uses the file once it appears", async () => {
      const path = join(files.dir, "oncehub");
      const keys = resolve({
        ONCEKEY_SOURCE: "file,env",
        ONCEKEY_FILE_PATH: path,
        ONCEHUB_API_KEY: "ohk_from_env",
      });
      await expect(keys.getKey()).resolves.toMatchObject({ source: "env:ONCEHUB_API_KEY" });
      await keyFile("oncehub", "ohk_from_file");
      await eventually(async () => (await keys.getKey()).source === `file:${path}`, {
        deadlineMs: 3_000,
        what: "switching to the file",
      });
    });

    it("stops at a file that is there but broken, rather than falling through", async () => {
      const path = await keyFile("oncehub", "\uFEFFohk_with_bom");
      const keys = resolve({
        ONCEKEY_SOURCE: "file,env",
        ONCEKEY_FILE_PATH: path,
        ONCEHUB_API_KEY: "ohk_from_env",
      });
      await expect(keys.getKey()).rejects.toMatchObject({ code: "KEY_FORMAT", source: `file:${path}` });
    });
  });

  describe("ONCEKEY_FILE_WATCH", () => {
    it("polls with poll and watches nothing with off", async () => {
      const watch = jest.spyOn(fs, "watch");
      const path = await keyFile("oncehub", "ohk_watch_setting");
      const polled = resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: path, ONCEKEY_FILE_WATCH: "poll" });
      const unwatched = resolve({
        ONCEKEY_SOURCE: "file",
        ONCEKEY_FILE_PATH: path,
        ONCEKEY_FILE_WATCH: "OFF",
      });
      await polled.getKey();
      await unwatched.getKey();
      expect(polled.watch).toBeDefined();
      expect(unwatched.watch).toBeUndefined();
      expect(watch).not.toHaveBeenCalled();
    });

    it("is a configuration error for another value, which it does not echo", () => {
      const attempt = (): KeyProvider =>
        resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: "/k", ONCEKEY_FILE_WATCH: "canary-in-watch" });
      expect(attempt).toThrow(expect.objectContaining({ code: "CONFIG", variable: "ONCEKEY_FILE_WATCH" }));
      expect(attempt).toThrow(/must be one of auto, fs, poll, off/);
      expect(attempt).not.toThrow(/canary/);
    });
  });

  describe("ONCEKEY_FILE_PERMISSIONS", () => {
    it("refuses a key file others may read with refuse", async () => {
      const path = await keyFile("oncehub", "ohk_shared_file", 0o644);
      const keys = resolve({
        ONCEKEY_SOURCE: "file",
        ONCEKEY_FILE_PATH: path,
        ONCEKEY_FILE_PERMISSIONS: "refuse",
      });
      await expect(keys.getKey()).rejects.toMatchObject({ code: "KEY_SOURCE" });
    });

    it("is a configuration error for another value", () => {
      expect(() =>
        resolve({ ONCEKEY_SOURCE: "file", ONCEKEY_FILE_PATH: "/k", ONCEKEY_FILE_PERMISSIONS: "strict" }),
      ).toThrow(expect.objectContaining({ code: "CONFIG", variable: "ONCEKEY_FILE_PERMISSIONS" }));
    });
  });
});
