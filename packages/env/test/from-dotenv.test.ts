import { execFileSync } from "node:child_process";
import { constants } from "node:fs";
import { chmod, mkdir, open as openFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, it, jest } from "@jest/globals";
import { chain, staticKey, type KeyProvider } from "@oncekey/core";
import { fromDotenv, type FilePermissions, type FromDotenvOptions } from "../src/index.js";
import { eventLog, eventually, thrownBy, useTempDir } from "@oncekey/test-support";
import { canaryKey } from "./helpers.js";

describe(fromDotenv.name, () => {
  const dir = useTempDir();

  const file = (name: string): string => join(dir.path, name);
  const make = (options: FromDotenvOptions): KeyProvider => {
    return dir.track(fromDotenv({ checkGit: false, ...options }));
  };

  describe("when the file defines the variable", () => {
    it("serves the key with source dotenv:<path>#<VARIABLE>", async () => {
      const raw = canaryKey();
      await writeFile(file(".env"), `# OnceHub\nOTHER=1\nONCEHUB_API_KEY=${raw}\n`, { mode: 0o600 });
      const key = await make({ path: file(".env") }).getKey();
      expect(key.reveal()).toBe(raw);
      expect(key.source).toBe(`dotenv:${file(".env")}#ONCEHUB_API_KEY`);
    });

    it("understands dotenv's syntax: export, quotes, comments, CRLF lines", async () => {
      await writeFile(file(".env"), "export A=\"a-key\" # note\r\nB='b-key'\r\nC=c-key # note\r\n", {
        mode: 0o600,
      });
      const read = (variable: string): Promise<string> =>
        make({ path: file(".env"), variable })
          .getKey()
          .then((k) => k.reveal());
      await expect(Promise.all(["A", "B", "C"].map(read))).resolves.toEqual(["a-key", "b-key", "c-key"]);
    });

    it("reads ./.env of the working directory by default", async () => {
      await writeFile(file(".env"), "ONCEHUB_API_KEY=cwd-key\n", { mode: 0o600 });
      const cwd = process.cwd();
      process.chdir(dir.path);
      try {
        const keys = make({});
        process.chdir(cwd);
        const key = await keys.getKey();
        expect(key.reveal()).toBe("cwd-key");
        expect(key.source).toBe("dotenv:.env#ONCEHUB_API_KEY");
      } finally {
        process.chdir(cwd);
      }
    });

    it("never writes to process.env and logs nothing", async () => {
      await writeFile(file(".env"), "ONCEHUB_API_KEY=not-for-process-env\nONCEKEY_TEST_OTHER=1\n", {
        mode: 0o600,
      });
      const before = { ...process.env };
      const spies = [jest.spyOn(console, "log"), jest.spyOn(console, "error"), jest.spyOn(console, "info")];
      const stderr = jest.spyOn(process.stderr, "write");
      try {
        await make({ path: file(".env") }).getKey();
        expect(process.env).toEqual(before);
        for (const spy of [...spies, stderr]) expect(spy).not.toHaveBeenCalled();
      } finally {
        for (const spy of [...spies, stderr]) spy.mockRestore();
      }
    });
  });

  describe("when several paths are given", () => {
    it("takes the first file that defines the variable", async () => {
      await writeFile(file(".env.local"), "ONCEHUB_API_KEY=local-key\n", { mode: 0o600 });
      await writeFile(file(".env"), "ONCEHUB_API_KEY=base-key\n", { mode: 0o600 });
      const key = await make({ path: [file(".env.local"), file(".env")] }).getKey();
      expect(key.reveal()).toBe("local-key");
      expect(key.source).toBe(`dotenv:${file(".env.local")}#ONCEHUB_API_KEY`);
    });

    it("skips absent files and files without the variable", async () => {
      await writeFile(file(".env.local"), "OTHER=1\n", { mode: 0o600 });
      await writeFile(file(".env"), "ONCEHUB_API_KEY=base-key\n", { mode: 0o600 });
      const paths = [file("missing.env"), file(".env.local"), file(".env")];
      const key = await make({ path: paths }).getKey();
      expect(key.reveal()).toBe("base-key");
      expect(key.source).toBe(`dotenv:${file(".env")}#ONCEHUB_API_KEY`);
    });

    it("does not fall through past a file that defines the variable badly", async () => {
      await writeFile(file(".env.local"), "ONCEHUB_API_KEY=\n", { mode: 0o600 });
      await writeFile(file(".env"), "ONCEHUB_API_KEY=base-key\n", { mode: 0o600 });
      await expect(make({ path: [file(".env.local"), file(".env")] }).getKey()).rejects.toMatchObject({
        code: "KEY_FORMAT",
        source: `dotenv:${file(".env.local")}#ONCEHUB_API_KEY`,
      });
    });
  });

  describe("when the key is not there", () => {
    it("rejects with KEY_NOT_FOUND when no file exists, naming the path", async () => {
      await expect(make({ path: file(".env") }).getKey()).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
        message: expect.stringContaining(file(".env")),
      });
    });

    it("rejects with KEY_NOT_FOUND when the variable is not defined, naming it", async () => {
      await writeFile(file(".env"), "OTHER=1\n", { mode: 0o600 });
      await expect(make({ path: file(".env") }).getKey()).rejects.toMatchObject({
        code: "KEY_NOT_FOUND",
        message: expect.stringContaining("ONCEHUB_API_KEY is not defined"),
      });
    });

    it("lets a chain move on", async () => {
      const key = await chain(make({ path: file(".env") }), staticKey("fallback")).getKey();
      expect(key.source).toBe("static");
    });
  });

  describe("when the value is empty or malformed", () => {
    it.each([
      ["empty", "ONCEHUB_API_KEY=\n", "is empty"],
      ["a space inside", 'ONCEHUB_API_KEY="canary-ab cd"\n', "contains a space"],
      ["a line break inside", 'ONCEHUB_API_KEY="canary-ab\\ncd"\n', "line break"],
      ["a non-ASCII character", "ONCEHUB_API_KEY=canary-abé\n", "non-ASCII"],
    ])("rejects %s with KEY_FORMAT, never showing the key", async (_, content, problem) => {
      await writeFile(file(".env"), content, { mode: 0o600 });
      const error = await make({ path: file(".env") })
        .getKey()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "KEY_FORMAT", message: expect.stringContaining(problem) });
      expect((error as Error).message).not.toContain("canary");
    });
  });

  describe("when the file cannot be read", () => {
    it("rejects a directory with KEY_SOURCE", async () => {
      await mkdir(file(".env"));
      await expect(make({ path: file(".env") }).getKey()).rejects.toMatchObject({ code: "KEY_SOURCE" });
    });

    it("rejects a file over 1 MiB with KEY_SOURCE", async () => {
      await writeFile(file(".env"), `ONCEHUB_API_KEY=k\n#${"x".repeat(1024 * 1024)}\n`, { mode: 0o600 });
      await expect(make({ path: file(".env") }).getKey()).rejects.toMatchObject({ code: "KEY_SOURCE" });
    });

    it("rejects a named pipe with KEY_SOURCE without blocking on it", async () => {
      execFileSync("mkfifo", [file(".env")]);
      const deadline = new AbortController();
      try {
        const outcome = await Promise.race([
          make({ path: file(".env") })
            .getKey()
            .catch((e: unknown) => e),
          delay(2_000, "still waiting for a writer", { signal: deadline.signal }),
        ]);
        expect(outcome).toMatchObject({
          code: "KEY_SOURCE",
          message: expect.stringContaining("not a regular file"),
        });
      } finally {
        deadline.abort();
        // Releases a reader stuck in open(), so a failure here cannot hang the suite.
        const writer = await openFile(file(".env"), constants.O_WRONLY | constants.O_NONBLOCK).catch(
          () => undefined,
        );
        await writer?.close();
      }
    });
  });

  describe("when the variable holds {tenant}", () => {
    it("reads each tenant's line, mapped as in fromEnv, and refuses colliding ids", async () => {
      await writeFile(file(".env"), "ONCEHUB_API_KEY_ACME_EU=acme-key\nONCEHUB_API_KEY_GLOBEX=globex-key\n", {
        mode: 0o600,
      });
      const keys = make({ path: file(".env"), variable: "ONCEHUB_API_KEY_{tenant}" });
      const acme = await keys.getKey({ tenant: "acme-eu" });
      expect(acme.reveal()).toBe("acme-key");
      expect(acme.source).toBe(`dotenv:${file(".env")}#ONCEHUB_API_KEY_ACME_EU`);
      expect((await keys.getKey({ tenant: "globex" })).reveal()).toBe("globex-key");
      await expect(keys.getKey({ tenant: "acme_eu" })).rejects.toMatchObject({ code: "INVALID_TENANT" });
      await expect(keys.getKey({ tenant: "initech" })).rejects.toMatchObject({ code: "KEY_NOT_FOUND" });
      await expect(keys.getKey({ tenant: "../x" })).rejects.toMatchObject({ code: "INVALID_TENANT" });
    });
  });

  describe("when an option is wrong", () => {
    it.each([
      ["null options", null, "options"],
      ["a string for options", ".env", "options"],
      ["a string for watch", { watch: "no" }, "watch"],
      ["a string for checkGit", { checkGit: "no" }, "checkGit"],
      ["a string cache", { cache: "none" }, "cache"],
      ["an unknown cache option", { cache: { ttl: 5 } }, "cache.ttl"],
      ["a string for a cache option", { cache: { ttlMs: "5000" } }, "cache.ttlMs"],
      ["a misspelt option", { pathh: ".env" }, "pathh"],
      ["an unknown watch mode", { watchMode: "inotify" }, "watchMode"],
      ["polling without an interval", { watchMode: "poll", pollIntervalMs: 0 }, "pollIntervalMs"],
      ["a string for a duration", { debounceMs: "100" }, "debounceMs"],
      ["a negative debounce", { debounceMs: -1 }, "debounceMs"],
      ["a debounce past what a timer can wait", { debounceMs: 2 ** 31 }, "debounceMs"],
      ["a poll interval past what a timer can wait", { pollIntervalMs: 1e12 }, "pollIntervalMs"],
      ["a grace past what a timer can wait", { rewriteGraceMs: 1e12 }, "rewriteGraceMs"],
      ["an unknown permissions policy", { permissions: "strict" }, "permissions"],
      ["a number for the path", { path: 42 }, "path"],
      [
        "a configuredBy that is no variable name",
        { configuredBy: { path: "the path" } },
        "configuredBy.path",
      ],
    ])("throws a ConfigError naming the option at once for %s", (_what, options, variable) => {
      const error = thrownBy(() => fromDotenv(options as FromDotenvOptions));
      expect(error).toMatchObject({ code: "CONFIG", variable });
      expect((error as Error).message).toMatch(/^fromDotenv: /);
    });
  });

  describe("when the path holds {tenant}", () => {
    it("throws at once", () => {
      expect(() => fromDotenv({ path: join(dir.path, "{tenant}.env") })).toThrow(/holds \{tenant\}/);
    });
  });

  describe("when the file is readable by group or others", () => {
    it("warns once with a FILE_PERMISSIONS event, and still serves the key", async () => {
      await writeFile(file(".env"), "ONCEHUB_API_KEY=k1\n");
      await chmod(file(".env"), 0o644);
      const { events, onEvent } = eventLog();
      const keys = make({ path: file(".env"), onEvent });
      const first = await keys.getKey();
      keys.invalidate?.(first);
      await keys.getKey();
      const warnings = events.filter((e) => e.type === "key:warning");
      expect(warnings).toEqual([
        expect.objectContaining({
          code: "FILE_PERMISSIONS",
          source: `dotenv:${file(".env")}`,
          message: expect.stringContaining("mode 0644"),
        }),
      ]);
    });

    it("refuses with KEY_SOURCE when permissions is 'refuse'", async () => {
      await writeFile(file(".env"), "ONCEHUB_API_KEY=k1\n");
      await chmod(file(".env"), 0o640);
      const permissions: FilePermissions = "refuse";
      await expect(make({ path: file(".env"), permissions }).getKey()).rejects.toMatchObject({
        code: "KEY_SOURCE",
        message: expect.stringContaining("chmod 600"),
      });
    });

    it("says nothing for a private file or with permissions 'ignore'", async () => {
      await writeFile(file("private.env"), "ONCEHUB_API_KEY=k1\n", { mode: 0o600 });
      await writeFile(file("open.env"), "ONCEHUB_API_KEY=k1\n");
      await chmod(file("open.env"), 0o644);
      const { events, onEvent } = eventLog();
      await make({ path: file("private.env"), onEvent }).getKey();
      await make({ path: file("open.env"), onEvent, permissions: "ignore" }).getKey();
      expect(events.filter((e) => e.type === "key:warning")).toEqual([]);
    });
  });

  describe("when the file is in a git repository", () => {
    const git = (...args: string[]): void => {
      execFileSync("git", args, { cwd: dir.path, stdio: "ignore" });
    };

    it("warns once with TRACKED_BY_GIT when the file is tracked", async () => {
      git("init", "-q");
      await mkdir(file("app"));
      await writeFile(file("app/.env"), "ONCEHUB_API_KEY=k1\n", { mode: 0o600 });
      git("add", "app/.env");
      const { events, onEvent } = eventLog();
      const keys = fromDotenv({ path: file("app/.env"), onEvent });
      dir.track(keys);
      const first = await keys.getKey();
      keys.invalidate?.(first);
      await keys.getKey();
      await eventually(() => events.some((e) => e.type === "key:warning"), { what: "the git warning" });
      await keys.close?.();
      const warnings = events.filter((e) => e.type === "key:warning");
      expect(warnings).toEqual([
        expect.objectContaining({
          code: "TRACKED_BY_GIT",
          message: expect.stringContaining("git rm --cached"),
        }),
      ]);
    });

    it("runs no command the repository's configuration names (core.fsmonitor)", async () => {
      git("init", "-q");
      await writeFile(file(".env"), "ONCEHUB_API_KEY=k1\n", { mode: 0o600 });
      git("add", ".env");
      git("config", "core.fsmonitor", `touch "${file("ran")}"; false`);
      const { events, onEvent } = eventLog();
      const keys = fromDotenv({ path: file(".env"), onEvent });
      dir.track(keys);
      await keys.getKey();
      await eventually(() => events.some((e) => e.type === "key:warning"), { what: "the git warning" });
      await expect(stat(file("ran"))).rejects.toMatchObject({ code: "ENOENT" });
    });

    it("says nothing for an untracked file", async () => {
      git("init", "-q");
      await writeFile(file(".env"), "ONCEHUB_API_KEY=k1\n", { mode: 0o600 });
      const { events, onEvent } = eventLog();
      const keys = fromDotenv({ path: file(".env"), onEvent });
      await keys.getKey();
      await keys.close?.(); // waits for the background check
      expect(events.filter((e) => e.type === "key:warning")).toEqual([]);
    });
  });
});
