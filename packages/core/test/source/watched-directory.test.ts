import type { watch as FsWatch } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { eventually, useTempDir } from "@oncekey/test-support";
import { WatchedDirectory, type WatchedDirectoryOptions } from "../../src/source.js";

const require = createRequire(__filename);
const fs = require("node:fs") as Record<string, (...args: unknown[]) => unknown>;
const originalWatch = fs.watch as typeof FsWatch;

describe(WatchedDirectory.name, () => {
  const dir = useTempDir();
  afterEach(() => {
    jest.restoreAllMocks();
  });

  /** A watched directory that counts its looks and its fallback reports; closed after the test. */
  const watched = (
    path: string,
    options: Partial<WatchedDirectoryOptions<string>> = {},
  ): { directory: WatchedDirectory<string>; looks: () => number; reports: string[] } => {
    let looks = 0;
    const reports: string[] = [];
    const directory = dir.track(
      new WatchedDirectory<string>(path, {
        mode: "fs",
        pollIntervalMs: 20,
        debounceMs: 5,
        check: async () => void looks++,
        onFallback: (reason) => void reports.push(reason),
        ...options,
      }),
    );
    return { directory, looks: () => looks, reports };
  };

  describe("when the directory is absent", () => {
    it("falls back to polling it, without a report, and watches it by events once it is back", async () => {
      const path = join(dir.path, "not-there-yet");
      const { directory, looks, reports } = watched(path);
      await directory.start();
      // Nothing can send an event for a directory that does not exist: only polls look.
      await eventually(() => looks() >= 3, { what: "three polls", deadlineMs: 3_000 });
      expect(reports).toEqual([]);
      const watch = jest.spyOn(fs, "watch");
      await mkdir(path);
      await eventually(() => watch.mock.calls.some((args) => args[0] === path), {
        what: "a watch of the new directory",
      });
    });
  });

  describe("when the directory is absent and the files are not polled (pollIntervalMs 0)", () => {
    it("still looks for the directory, and watches it by events once it is back", async () => {
      const path = join(dir.path, "not-there-yet");
      const { directory, looks, reports } = watched(path, { pollIntervalMs: 0 });
      await directory.start();
      const watch = jest.spyOn(fs, "watch");

      await mkdir(path);

      await eventually(() => watch.mock.calls.some((args) => args[0] === path), {
        what: "a watch of the new directory",
        deadlineMs: 5_000,
      });
      const before = looks();
      await writeFile(join(path, "tenant-a"), "changed");
      await eventually(() => looks() > before, { what: "a look after an event", deadlineMs: 5_000 });
      expect(reports).toEqual([]);
    });
  });

  describe("when fs.watch refuses the directory", () => {
    it("polls it, and reports why once", async () => {
      jest.spyOn(fs, "watch").mockImplementation(() => {
        throw Object.assign(new Error("inotify watch limit reached"), { code: "ENOSPC" });
      });
      const { directory, looks, reports } = watched(dir.path);
      await directory.start();
      await eventually(() => looks() >= 3, { what: "three polls", deadlineMs: 3_000 });
      expect(reports).toEqual(["ENOSPC"]);
    });

    it("reports that nothing follows it when polling is off", async () => {
      jest.spyOn(fs, "watch").mockImplementation(() => {
        throw Object.assign(new Error("inotify watch limit reached"), { code: "ENOSPC" });
      });
      const { directory, reports } = watched(dir.path, { pollIntervalMs: 0 });
      await directory.start();
      expect(reports).toEqual(["ENOSPC"]);
    });
  });

  describe("when files in the directory change", () => {
    it("looks once for a burst of writes", async () => {
      const { directory, looks } = watched(dir.path, { debounceMs: 50, pollIntervalMs: 60_000 });
      await directory.start();
      await eventually(() => looks() >= 1, { what: "the first look" });
      const before = looks();
      for (let i = 0; i < 20; i++) await writeFile(join(dir.path, ".env"), `K=${i}\n`);
      await eventually(() => looks() > before, { what: "a look after the writes" });
      expect(looks() - before).toBeLessThan(20);
    });
  });

  describe("when the directory is replaced by another renamed over it", () => {
    it("watches the new one", async () => {
      const path = join(dir.path, "acme");
      await mkdir(path);
      const live: unknown[] = [];
      jest.spyOn(fs, "watch").mockImplementation(((...args: Parameters<typeof FsWatch>) => {
        live.push(args[0]);
        return originalWatch(...args);
      }) as never);
      const { directory, looks } = watched(path, { pollIntervalMs: 60_000 });
      await directory.start();
      await eventually(() => looks() >= 1, { what: "the first look" });
      await mkdir(join(dir.path, "acme.new"));
      await rm(path, { recursive: true });
      await rename(join(dir.path, "acme.new"), path);
      await eventually(() => live.filter((watchedPath) => watchedPath === path).length >= 2, {
        what: "a watch of the new directory",
      });
    });
  });

  describe("when closed", () => {
    it("looks no more", async () => {
      const { directory, looks } = watched(dir.path);
      await directory.start();
      await eventually(() => looks() >= 1, { what: "the first look" });
      directory.close();
      const after = looks();
      await writeFile(join(dir.path, ".env"), "K=1\n");
      await sleep(100);
      expect(looks()).toBe(after);
    });
  });
});
