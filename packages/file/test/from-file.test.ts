import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { execFileSync } from "node:child_process";
import type * as FsPromises from "node:fs/promises";
import { createRequire } from "node:module";
import { mkdir, symlink, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KeyProvider } from "@oncekey/core";
import { thrownBy } from "@oncekey/test-support";
import { fromFile } from "../src/index.js";
import { spyOnFileSystem } from "./support/fs-spies.js";
import { writeKeyFile } from "./support/key-file.js";
import { useKeyFiles } from "./support/use-key-files.js";

const require = createRequire(__filename);
const fsPromises = require("node:fs/promises") as typeof FsPromises;

const KEY = "ohk_live_5Fq8ZpR2xW7mN4vB9cT1";

const files = useKeyFiles({ permissions: "ignore" });
const open = (options: Parameters<typeof fromFile>[0]): KeyProvider => files.open(options);
const keyFile = (name: string, content: string | Buffer): Promise<string> =>
  writeKeyFile(join(files.dir, name), content);

afterEach(() => {
  jest.restoreAllMocks();
});

describe(fromFile.name, () => {
  describe("when the file holds a key", () => {
    it("serves it, named file:<path>", async () => {
      const path = await keyFile("oncehub", KEY);
      const keys = open({ path });
      const key = await keys.getKey();
      expect(key.reveal()).toBe(KEY);
      expect(key.source).toBe(`file:${path}`);
      expect(keys.name).toBe("file");
    });

    it("drops one trailing newline, as echo and editors write it", async () => {
      const keys = open({ path: await keyFile("oncehub", `${KEY}\n`) });
      expect((await keys.getKey()).reveal()).toBe(KEY);
    });

    it("resolves a relative path against the working directory", async () => {
      await keyFile("oncehub", KEY);
      const cwd = process.cwd();
      process.chdir(files.dir);
      try {
        const key = await open({ path: "oncehub" }).getKey();
        expect(key.source).toBe(`file:${join(files.dir, "oncehub")}`);
      } finally {
        process.chdir(cwd);
      }
    });

    it("reads nothing until a key is asked for", async () => {
      const spies = spyOnFileSystem();
      open({ path: join(files.dir, "oncehub") });
      expect(spies.calls()).toEqual([]);
    });
  });

  describe("when the file is absent", () => {
    it("says not found, naming the path, so a chain moves on", async () => {
      const path = join(files.dir, "missing");
      const failure = open({ path }).getKey();
      await expect(failure).rejects.toMatchObject({ code: "KEY_NOT_FOUND", source: `file:${path}` });
      await expect(failure).rejects.toThrow(path);
    });

    it("says not found when a directory on the way is a file", async () => {
      const file = await keyFile("plain", KEY);
      await expect(open({ path: join(file, "key") }).getKey()).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
      });
    });
  });

  describe("when the content is not a key", () => {
    it.each([
      ["a byte order mark", `\uFEFF${KEY}`, /byte order mark.*UTF-8 without BOM/],
      ["a Windows line ending", `${KEY}\r\n`, /CR LF.*LF line endings/],
      ["nothing", "", /is empty/],
      ["only a newline", "\n", /is empty/],
      ["two lines", `${KEY}\n${KEY}\n`, /line break/],
      ["a space", `${KEY} `, /space/],
    ])("refuses %s with a clear format error", async (_what, content, message) => {
      const path = await keyFile("oncehub", content);
      const failure = open({ path }).getKey();
      await expect(failure).rejects.toMatchObject({ code: "KEY_FORMAT", source: `file:${path}` });
      await expect(failure).rejects.toThrow(message);
    });

    it("refuses a file larger than maxBytes without opening it", async () => {
      const path = join(files.dir, "huge");
      await writeFile(path, "");
      await truncate(path, 50 * 1024 * 1024);
      const spies = spyOnFileSystem();
      const failure = open({ path, maxBytes: 1024 }).getKey();
      await expect(failure).rejects.toMatchObject({ code: "KEY_FORMAT" });
      await expect(failure).rejects.toThrow(/52428800 bytes, more than the 1024 bytes allowed/);
      expect(spies.calls("open")).toEqual([]);
    });

    it("takes a key as long as maxBytes allows", async () => {
      const path = await keyFile("oncehub", `${"k".repeat(511)}\n`);
      await expect(open({ path, maxBytes: 512 }).getKey()).resolves.toMatchObject({ source: `file:${path}` });
    });
  });

  describe("when the file cannot be read", () => {
    it("reports a directory as a source error", async () => {
      const path = join(files.dir, "secrets");
      await mkdir(path);
      const failure = open({ path }).getKey();
      await expect(failure).rejects.toMatchObject({ code: "KEY_SOURCE", source: `file:${path}` });
      await expect(failure).rejects.toThrow(/is a directory, not a key file/);
    });

    it("reports links that loop as a source error", async () => {
      const path = join(files.dir, "a");
      await symlink("b", path);
      await symlink("a", join(files.dir, "b"));
      await expect(open({ path }).getKey()).rejects.toMatchObject({ code: "KEY_SOURCE" });
    });

    it("reports a denied read as a source error that says what to do", async () => {
      const path = await keyFile("oncehub", KEY);
      jest
        .spyOn(fsPromises, "open")
        .mockRejectedValue(Object.assign(new Error("denied"), { code: "EACCES" }));
      const failure = open({ path }).getKey();
      await expect(failure).rejects.toMatchObject({ code: "KEY_SOURCE" });
      await expect(failure).rejects.toThrow(/permission denied. Give the service's user read access/);
    });

    it("refuses a named pipe without opening it, so nothing blocks", async () => {
      const path = join(files.dir, "fifo");
      execFileSync("mkfifo", [path]);
      const spies = spyOnFileSystem();
      const failure = open({ path }).getKey();
      await expect(failure).rejects.toMatchObject({ code: "KEY_SOURCE" });
      await expect(failure).rejects.toThrow(/is a named pipe, not a key file/);
      expect(spies.calls("open")).toEqual([]);
    });
  });

  describe("when the options are wrong", () => {
    it.each([
      ["no options", undefined, "path"],
      ["no path", {}, "path"],
      ["an empty path", { path: " " }, "path"],
      ["a NUL in the path", { path: "/run/secrets/a\0b" }, "path"],
      ["{tenant} under the root", { path: "/{tenant}" }, "path"],
      ["a step out of {tenant}", { path: "/keys/{tenant}/../other" }, "path"],
      ["a misspelt option", { path: "/k", permission: "refuse" }, "permission"],
      ["a cache option passed flat", { path: "/k", maxTenants: 5 }, "maxTenants"],
      ["an unknown cache option", { path: "/k", cache: { ttl: 5 } }, "cache.ttl"],
      ["a string for a cache option", { path: "/k", cache: { maxTenants: "5" } }, "cache.maxTenants"],
      ["an unknown watch mode", { path: "/k", watchMode: "inotify" }, "watchMode"],
      ["a string for watch", { path: "/k", watch: "no" }, "watch"],
      ["an unknown permissions policy", { path: "/k", permissions: "strict" }, "permissions"],
      ["a zero maxBytes", { path: "/k", maxBytes: 0 }, "maxBytes"],
      ["a huge maxBytes", { path: "/k", maxBytes: 2 ** 30 }, "maxBytes"],
      ["a string for maxBytes", { path: "/k", maxBytes: "4096" }, "maxBytes"],
      ["a negative debounce", { path: "/k", debounceMs: -1 }, "debounceMs"],
      ["a zero poll interval", { path: "/k", pollIntervalMs: 0 }, "pollIntervalMs"],
      ["a poll interval past what a timer can wait", { path: "/k", pollIntervalMs: 1e12 }, "pollIntervalMs"],
      ["a debounce past what a timer can wait", { path: "/k", debounceMs: 2 ** 31 }, "debounceMs"],
      ["a settle time past what a timer can wait", { path: "/k", settleMs: 1e12 }, "settleMs"],
      ["a grace past what a timer can wait", { path: "/k", rewriteGraceMs: 1e12 }, "rewriteGraceMs"],
      ["a string cache", { path: "/k", cache: "none" }, "cache"],
      ["a string for onEvent", { path: "/k", onEvent: "log" }, "onEvent"],
    ])("throws a ConfigError naming the option at once for %s", (_what, options, variable) => {
      const error = thrownBy(() => fromFile(options as Parameters<typeof fromFile>[0]));
      expect(error).toMatchObject({ code: "CONFIG", variable });
      expect((error as Error).message).toMatch(/^fromFile: /);
    });
  });
});
