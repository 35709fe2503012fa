import { rename, rm, symlink, writeFile, mkdir, truncate } from "node:fs/promises";
import { join } from "node:path";
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import type { KeyProvider } from "@oncekey/core";
import { fromDotenv, type FromDotenvOptions } from "../src/index.js";
import { setTimeout as sleep } from "node:timers/promises";
import { eventLog, eventually, useTempDir } from "@oncekey/test-support";
import { keepReading } from "./helpers.js";

const require = createRequire(__filename);
const fs = require("node:fs") as Record<string, (...args: unknown[]) => unknown>;

describe(`${fromDotenv.name} following changes`, () => {
  const dir = useTempDir();
  let envFile: string;

  beforeEach(() => {
    envFile = join(dir.path, ".env");
  });

  const make = (options: FromDotenvOptions = {}): KeyProvider => {
    return dir.track(fromDotenv({ path: envFile, checkGit: false, debounceMs: 20, ...options }));
  };
  const content = (key: string): string => `OTHER=1\nONCEHUB_API_KEY=${key}\nMORE=2\n`;
  const keyOf = async (keys: KeyProvider): Promise<string> => (await keys.getKey()).reveal();

  describe("when the file is rewritten in place", () => {
    it("serves the new key with no failed call, and reports the rotation", async () => {
      await writeFile(envFile, content("old-key"), { mode: 0o600 });
      const { events, onEvent } = eventLog();
      const keys = make({ onEvent });
      expect(await keyOf(keys)).toBe("old-key");
      const reader = keepReading(() => keys.getKey());
      await writeFile(envFile, content("new-key"));
      await eventually(() => reader.latest() === "new-key", { what: "the new key" });
      const { failures, seen } = await reader.stop();
      expect(failures).toEqual([]);
      expect([...seen].sort()).toEqual(["new-key", "old-key"]);
      expect(events).toContainEqual(expect.objectContaining({ type: "key:loaded", reason: "changed" }));
      expect(events).toContainEqual(expect.objectContaining({ type: "key:rotated" }));
    });
  });

  describe("when the file is replaced by a rename", () => {
    it("serves the new key", async () => {
      await writeFile(envFile, content("old-key"), { mode: 0o600 });
      const keys = make();
      expect(await keyOf(keys)).toBe("old-key");
      await writeFile(`${envFile}.tmp`, content("new-key"), { mode: 0o600 });
      await rename(`${envFile}.tmp`, envFile);
      await eventually(async () => (await keyOf(keys)) === "new-key", { what: "the new key" });
    });
  });

  describe("when a Kubernetes-style ..data symlink is swapped", () => {
    it("serves the new key", async () => {
      const version = async (name: string, key: string): Promise<void> => {
        await mkdir(join(dir.path, name));
        await writeFile(join(dir.path, name, ".env"), content(key), { mode: 0o600 });
      };
      await version("..2026_11_26_10_00_00.1", "old-key");
      await symlink("..2026_11_26_10_00_00.1", join(dir.path, "..data"));
      await symlink("..data/.env", envFile);
      const keys = make();
      expect(await keyOf(keys)).toBe("old-key");
      await version("..2026_11_26_10_05_00.2", "new-key");
      await symlink("..2026_11_26_10_05_00.2", join(dir.path, "..data_tmp"));
      await rename(join(dir.path, "..data_tmp"), join(dir.path, "..data"));
      await eventually(async () => (await keyOf(keys)) === "new-key", { what: "the new key" });
    });
  });

  describe("when another line changes", () => {
    it("keeps the cached key without reloading it", async () => {
      await writeFile(envFile, content("same-key"), { mode: 0o600 });
      const { events, onEvent } = eventLog();
      const keys = make({ onEvent, debounceMs: 10 });
      await keyOf(keys);
      await writeFile(envFile, `${content("same-key")}ADDED=3\n`);
      // Time for the watcher to (wrongly) announce the unrelated change; then a change of the key, which it must
      // announce: the second proves the first was watched too.
      await sleep(200);
      expect(await keyOf(keys)).toBe("same-key");
      await writeFile(envFile, `${content("next-key")}ADDED=3\n`);
      await eventually(async () => (await keyOf(keys)) === "next-key", { what: "the changed key" });
      expect(
        events.filter((e) => e.type === "key:loaded").map((e) => e.type === "key:loaded" && e.reason),
      ).toEqual(["initial", "changed"]);
    });
  });

  describe("when one tenant's line changes", () => {
    it("reloads that tenant only", async () => {
      const lines = (acme: string): string =>
        `ONCEHUB_API_KEY_ACME=${acme}\nONCEHUB_API_KEY_GLOBEX=globex-key\n`;
      await writeFile(envFile, lines("acme-old"), { mode: 0o600 });
      const { events, onEvent } = eventLog();
      const keys = make({ onEvent, variable: "ONCEHUB_API_KEY_{tenant}" });
      await keys.getKey({ tenant: "acme" });
      await keys.getKey({ tenant: "globex" });
      await writeFile(envFile, lines("acme-new"));
      await eventually(async () => (await keys.getKey({ tenant: "acme" })).reveal() === "acme-new", {
        what: "acme's new key",
      });
      await keys.getKey({ tenant: "globex" });
      const loads = events.filter((e) => e.type === "key:loaded").map((e) => e.tenant);
      expect(loads.filter((t) => t === "globex")).toHaveLength(1);
    });
  });

  describe("when the file is briefly empty or missing", () => {
    it("keeps serving the last good key, with no failed call and no reload", async () => {
      await writeFile(envFile, content("old-key"), { mode: 0o600 });
      const { events, onEvent } = eventLog();
      const keys = make({ onEvent, rewriteGraceMs: 5_000, pollIntervalMs: 30 });
      expect(await keyOf(keys)).toBe("old-key");
      const reader = keepReading(() => keys.getKey());
      await truncate(envFile, 0);
      await sleep(150);
      await writeFile(envFile, "OTHER=1\nONCEHUB_API_KEY=");
      await sleep(150);
      await rm(envFile);
      await sleep(150);
      await writeFile(envFile, content("new-key"), { mode: 0o600 });
      await eventually(() => reader.latest() === "new-key", { what: "the new key" });
      const { failures, seen } = await reader.stop();
      expect(failures).toEqual([]);
      expect([...seen].sort()).toEqual(["new-key", "old-key"]);
      expect(events.map((e) => e.type)).toEqual(["key:loaded", "key:loaded", "key:rotated"]);
    });

    it("serves the last good key while a reload finds the file mid-write", async () => {
      await writeFile(envFile, content("old-key"), { mode: 0o600 });
      const { events, onEvent } = eventLog();
      // A TTL makes every call read the file, as after an expiry.
      const keys = make({
        onEvent,
        watch: false,
        rewriteGraceMs: 5_000,
        cache: { ttlMs: 1, retryAfterErrorMs: 0 },
      });
      expect(await keyOf(keys)).toBe("old-key");
      await writeFile(envFile, "OTHER=1\nONCEHUB_API_KEY=");
      await sleep(5);
      expect(await keyOf(keys)).toBe("old-key");
      await rm(envFile);
      await sleep(5);
      expect(await keyOf(keys)).toBe("old-key");
      // Not found or malformed, but transient: the rewrite grace lets the cache serve the last good key.
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "key:stale",
          errorMessage: expect.stringMatching(/rewrite in progress/),
        }),
      );
    });
  });

  describe("when the file is really gone", () => {
    it("stops serving the key once the grace time has passed", async () => {
      await writeFile(envFile, content("old-key"), { mode: 0o600 });
      const keys = make({ rewriteGraceMs: 200 });
      expect(await keyOf(keys)).toBe("old-key");
      await rm(envFile);
      const error = await eventually(
        () =>
          keys.getKey().then(
            () => undefined,
            (e: unknown) => e,
          ),
        { what: "the removal to stand" },
      );
      expect(error).toMatchObject({ code: "KEY_NOT_FOUND" });
    });

    it("reports a value that stays broken as KEY_FORMAT once the grace time has passed", async () => {
      await writeFile(envFile, content("old-key"), { mode: 0o600 });
      const keys = make({ rewriteGraceMs: 200 });
      expect(await keyOf(keys)).toBe("old-key");
      await writeFile(envFile, 'ONCEHUB_API_KEY="old key"\n');
      const error = await eventually(
        () =>
          keys.getKey().then(
            () => undefined,
            (e: unknown) => e,
          ),
        { what: "the broken value to stand" },
      );
      expect(error).toMatchObject({ code: "KEY_FORMAT" });
    });
  });

  describe("when the file system sends no change events", () => {
    afterEach(() => {
      jest.restoreAllMocks();
    });

    it("notices a change by reading the file every second, as fromFile polls", async () => {
      // A watch that never fires, as on a network share or a Docker Desktop bind mount.
      jest.spyOn(fs, "watch").mockImplementation(() => Object.assign(new EventEmitter(), { close() {} }));
      await writeFile(envFile, content("old-key"), { mode: 0o600 });
      const keys = fromDotenv({ path: envFile, checkGit: false });
      dir.track(keys);
      expect(await keyOf(keys)).toBe("old-key");
      await writeFile(envFile, content("new-key"));
      await eventually(async () => (await keyOf(keys)) === "new-key", {
        what: "the new key",
        deadlineMs: 3_000,
      });
    });
  });

  describe("when fs.watch cannot watch the directory", () => {
    afterEach(() => {
      jest.restoreAllMocks();
    });

    it("follows the file by polling, with one WATCH_FALLBACK warning", async () => {
      jest.spyOn(fs, "watch").mockImplementation(() => {
        throw Object.assign(new Error("inotify watch limit reached"), { code: "ENOSPC" });
      });
      await writeFile(envFile, content("old-key"), { mode: 0o600 });
      const { events, onEvent } = eventLog();
      const keys = make({ onEvent, pollIntervalMs: 30 });
      expect(await keyOf(keys)).toBe("old-key");
      await writeFile(envFile, content("new-key"));
      await eventually(async () => (await keyOf(keys)) === "new-key", {
        what: "the new key, found by polling",
      });
      await sleep(100);
      expect(events.filter((e) => e.type === "key:warning")).toEqual([
        expect.objectContaining({
          code: "WATCH_FALLBACK",
          source: `dotenv:${envFile}`,
          message: expect.stringContaining("(ENOSPC); polling it every 30 ms"),
        }),
      ]);
    });
  });

  describe("when watching is off", () => {
    it("keeps the key until it is rejected", async () => {
      await writeFile(envFile, content("old-key"), { mode: 0o600 });
      const keys = make({ watch: false });
      const old = await keys.getKey();
      await writeFile(envFile, content("new-key"));
      await sleep(100);
      expect(await keyOf(keys)).toBe("old-key");
      keys.invalidate?.(old);
      expect(await keyOf(keys)).toBe("new-key");
    });
  });
});
