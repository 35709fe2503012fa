import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import type { FSWatcher, watch as FsWatch } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { KeyProvider } from "@oncekey/core";
import type { KeyWarningEvent } from "@oncekey/core/source";
import { fromFile, type FromFileOptions } from "../src/index.js";

import { eventually } from "@oncekey/test-support";
import { writeKeyFile } from "./support/key-file.js";
import { spyOnFileSystem } from "./support/fs-spies.js";
import { serves } from "./support/serves.js";
import { useKeyFiles } from "./support/use-key-files.js";

const require = createRequire(__filename);
const fs = require("node:fs") as Record<string, (...args: unknown[]) => unknown>;
const originalWatch = fs.watch as typeof FsWatch;
const fsPromises = require("node:fs/promises") as Record<string, (...args: unknown[]) => unknown>;

const files = useKeyFiles({ permissions: "ignore" });
const { events } = files;
const keyFile = (file: string, key: string): Promise<string> => writeKeyFile(file, key);

let dir: string;
let path: string;

const open = (options: Partial<FromFileOptions> = {}, at = path): KeyProvider =>
  files.open({ path: at, ...options });

const watchCalls = (spy: { mock: { calls: unknown[][] } }): unknown[] =>
  spy.mock.calls.map((args) => args[0]);
/** The paths that `fs.watch` did watch, leaving out the calls that threw. */
const watched = (spy: { mock: { calls: unknown[][]; results: { type: string }[] } }): unknown[] =>
  spy.mock.calls.filter((_args, i) => spy.mock.results[i]?.type === "return").map((args) => args[0]);

beforeEach(async () => {
  dir = files.dir;
  path = join(dir, "oncehub");
  await keyFile(path, "ohk_watch_key_1");
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe(`${fromFile.name} watching`, () => {
  describe("when watching with fs.watch", () => {
    it("starts with the first key read, on the file's directory", async () => {
      const watch = jest.spyOn(fs, "watch");
      const keys = open({ watchMode: "fs" });
      expect(watch).not.toHaveBeenCalled();
      await keys.getKey();
      await eventually(() => watch.mock.calls.length > 0);
      expect(watchCalls(watch)).toEqual([dir]);
    });

    it("watches a directory once however many tenants' files it holds", async () => {
      const watch = jest.spyOn(fs, "watch");
      const keys = open({ watchMode: "fs" }, join(dir, "{tenant}"));
      for (let n = 0; n < 20; n++) await keyFile(join(dir, `tenant-${n}`), `ohk_tenant_${n}`);
      for (let n = 0; n < 20; n++) await keys.getKey({ tenant: `tenant-${n}` });
      await eventually(() => watch.mock.calls.length > 0);
      await sleep(50);
      expect(watchCalls(watch)).toEqual([dir]);
    });

    it("releases every watch on close, and looks at the file no more", async () => {
      const watch = jest.spyOn(fs, "watch");
      const keys = open({ watchMode: "fs", debounceMs: 1 });
      await keys.getKey();
      await eventually(() => watch.mock.calls.length > 0);
      const closed = watch.mock.results.map((result) => {
        let done = false;
        (result.value as FSWatcher).once("close", () => (done = true));
        return () => done;
      });
      await keys.close?.();
      const looks = spyOnFileSystem();
      try {
        await keyFile(path, "ohk_watch_key_2");
        // Time for a watch left open to see the write and look at the file (debounced by 1 ms).
        await sleep(250);
        expect(closed.map((isClosed) => isClosed())).toEqual(closed.map(() => true));
        expect(looks.calls().filter((call) => call.endsWith(path))).toEqual([]);
      } finally {
        looks.restore();
      }
    });
  });

  describe("when polling", () => {
    it("notices a change without fs.watch", async () => {
      const watch = jest.spyOn(fs, "watch");
      const keys = open({ watchMode: "poll", pollIntervalMs: 50 });
      await keys.getKey();
      await sleep(100);
      await keyFile(path, "ohk_watch_key_2");
      await eventually(serves(keys, "ohk_watch_key_2"));
      expect(watch).not.toHaveBeenCalled();
    });

    it("stops its timer on close", async () => {
      const setInterval = jest.spyOn(global, "setInterval");
      const clearInterval = jest.spyOn(global, "clearInterval");
      const keys = open({ watchMode: "poll", pollIntervalMs: 50 });
      await keys.getKey();
      await eventually(() => setInterval.mock.calls.length > 0);
      const timers = setInterval.mock.results.map((r) => r.value);
      await keys.close?.();
      expect(clearInterval.mock.calls.map((args) => args[0])).toEqual(expect.arrayContaining(timers));
    });
  });

  describe('when "auto"', () => {
    it("polls a file system that sends no change events, such as NFS", async () => {
      const watch = jest.spyOn(fs, "watch");
      jest.spyOn(fsPromises, "statfs").mockResolvedValue({ type: 0x6969 } as never);
      const keys = open({ pollIntervalMs: 50 });
      await keys.getKey();
      await sleep(100);
      await keyFile(path, "ohk_watch_key_2");
      await eventually(serves(keys, "ohk_watch_key_2"));
      expect(watch).not.toHaveBeenCalled();
    });

    it("falls back to polling, with a warning, when fs.watch cannot start", async () => {
      jest.spyOn(fs, "watch").mockImplementation(() => {
        throw Object.assign(new Error("inotify watch limit reached"), { code: "ENOSPC" });
      });
      const keys = open({ pollIntervalMs: 50 });
      await keys.getKey();
      await eventually(() => events.some((e) => e.type === "key:warning"));
      await keyFile(path, "ohk_watch_key_2");
      await eventually(serves(keys, "ohk_watch_key_2"));
      const warning = events.find((e): e is KeyWarningEvent => e.type === "key:warning");
      expect(warning).toMatchObject({ code: "WATCH_FALLBACK", source: `file:${path}` });
      expect(warning?.message).toMatch(/\(ENOSPC\); polling it every 50 ms/);
    });

    it("falls back to polling when fs.watch fails later", async () => {
      const watch = jest.spyOn(fs, "watch");
      const keys = open({ pollIntervalMs: 50 });
      await keys.getKey();
      await eventually(() => watch.mock.calls.length > 0);
      const watcher = watch.mock.results[0]?.value as FSWatcher;
      watcher.emit("error", Object.assign(new Error("watch failed"), { code: "EIO" }));
      await keyFile(path, "ohk_watch_key_2");
      await eventually(serves(keys, "ohk_watch_key_2"));
      expect(events).toContainEqual(expect.objectContaining({ type: "key:warning", code: "WATCH_FALLBACK" }));
    });
  });

  describe("when more tenants are read than the cache holds", () => {
    it("keeps watching the directories of the tenants it holds only", async () => {
      const live = new Map<FSWatcher, unknown>();
      jest.spyOn(fs, "watch").mockImplementation(((...args: Parameters<typeof FsWatch>) => {
        const watcher = originalWatch(...args);
        live.set(watcher, args[0]);
        watcher.once("close", () => live.delete(watcher));
        return watcher;
      }) as never);
      const tenants = Array.from({ length: 12 }, (_, n) => `tenant-${n}`);
      for (const tenant of tenants) {
        await mkdir(join(dir, tenant));
        await keyFile(join(dir, tenant, "key"), `ohk_${tenant}`);
      }
      const keys = open({ watchMode: "fs", cache: { maxTenants: 3 } }, join(dir, "{tenant}", "key"));
      for (const tenant of tenants) await keys.getKey({ tenant });
      const held = tenants.slice(-3).map((tenant) => join(dir, tenant));
      await eventually(() => held.every((path) => [...live.values()].includes(path)), {
        what: "the watches",
      });
      expect([...live.values()].sort()).toEqual(held.sort());
    });
  });

  describe("when the cache and the watcher would forget different tenants", () => {
    it("reads a cached tenant's file again once it is no longer followed, so its rotation is not missed", async () => {
      for (const tenant of ["acme", "globex", "initech"]) await keyFile(join(dir, tenant), `ohk_${tenant}_1`);
      const keys = open({ watchMode: "fs", cache: { maxTenants: 2 } }, join(dir, "{tenant}"));
      await keys.getKey({ tenant: "acme" });
      await keys.getKey({ tenant: "globex" });
      // acme stays the cache's most recent tenant, but was read first: the watcher forgets it for initech.
      await keys.getKey({ tenant: "acme" });
      await keys.getKey({ tenant: "initech" });
      await keys.getKey({ tenant: "acme" });
      await sleep(150);
      await keyFile(join(dir, "acme"), "ohk_acme_2");
      await eventually(async () => (await keys.getKey({ tenant: "acme" })).reveal() === "ohk_acme_2", {
        what: "acme's new key",
      });
    });
  });

  describe("when the inotify limit is reached for many tenants' directories", () => {
    it("polls them all, with one warning rather than one per directory", async () => {
      jest.spyOn(fs, "watch").mockImplementation(() => {
        throw Object.assign(new Error("inotify watch limit reached"), { code: "ENOSPC" });
      });
      const tenants = ["acme", "globex", "initech"];
      for (const tenant of tenants) {
        await mkdir(join(dir, tenant));
        await keyFile(join(dir, tenant, "key"), `ohk_${tenant}_1`);
      }
      const keys = open({ pollIntervalMs: 50 }, join(dir, "{tenant}", "key"));
      for (const tenant of tenants) await keys.getKey({ tenant });
      for (const tenant of tenants) await keyFile(join(dir, tenant, "key"), `ohk_${tenant}_2`);
      for (const tenant of tenants) {
        await eventually(async () => (await keys.getKey({ tenant })).reveal() === `ohk_${tenant}_2`, {
          what: `${tenant}'s new key, found by polling`,
        });
      }
      expect(events.filter((e) => e.type === "key:warning")).toEqual([
        expect.objectContaining({ code: "WATCH_FALLBACK", message: expect.stringContaining("ENOSPC") }),
      ]);
    });
  });

  describe("when a tenant's directory is removed, then made again", () => {
    it("watches it again once it is back, without a warning", async () => {
      const watch = jest.spyOn(fs, "watch");
      const acme = join(dir, "acme");
      await mkdir(acme);
      await keyFile(join(acme, "key"), "ohk_acme_1");
      const keys = open({ watchMode: "fs", pollIntervalMs: 50 }, join(dir, "{tenant}", "key"));
      await keys.getKey({ tenant: "acme" });
      await eventually(() => watchCalls(watch).includes(acme), { what: "the first watch" });
      await rm(acme, { recursive: true });
      await sleep(200);
      await mkdir(acme);
      await keyFile(join(acme, "key"), "ohk_acme_2");
      await eventually(async () => (await keys.getKey({ tenant: "acme" })).reveal() === "ohk_acme_2", {
        what: "the key in the new directory",
      });
      await eventually(() => watched(watch).filter((d) => d === acme).length >= 2, {
        what: "a watch of the new directory",
      });
      expect(events.filter((e) => e.type === "key:warning")).toEqual([]);
    });
  });

  describe("when watch is false", () => {
    it("offers no watch and starts none", async () => {
      const watch = jest.spyOn(fs, "watch");
      const keys = open({ watch: false });
      expect(keys.watch).toBeUndefined();
      await keys.getKey();
      await sleep(50);
      expect(watch).not.toHaveBeenCalled();
    });
  });
});
