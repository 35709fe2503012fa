import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { createRequire } from "node:module";
import { watchDirectories } from "../src/dotenv/watch-directories.js";
import { sleep, tempDir, waitFor } from "./helpers.js";

const require = createRequire(__filename);
const fs = require("node:fs") as Record<string, (...args: unknown[]) => unknown>;

describe(watchDirectories.name, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let stop: (() => void) | undefined;

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    stop?.();
    stop = undefined;
    await dir.remove();
  });

  describe("when files in the directory change", () => {
    it("coalesces a burst of writes", async () => {
      let calls = 0;
      stop = watchDirectories([dir.path], () => calls++, { debounceMs: 100, pollIntervalMs: 0 });
      for (let i = 0; i < 20; i++) await writeFile(join(dir.path, ".env"), `K=${i}\n`);
      await waitFor(() => calls > 0, "the call");
      expect(calls).toBeLessThan(20);
    });
  });

  describe("when the directory cannot be watched", () => {
    it("falls back to polling", async () => {
      let calls = 0;
      stop = watchDirectories([join(dir.path, "not-there-yet")], () => calls++, {
        debounceMs: 10,
        pollIntervalMs: 20,
      });
      await waitFor(() => calls >= 2, "two polls");
    });
  });

  describe("when fs.watch refuses the directory", () => {
    afterEach(() => {
      jest.restoreAllMocks();
    });

    it("polls it, and reports why once", async () => {
      jest.spyOn(fs, "watch").mockImplementation(() => {
        throw Object.assign(new Error("inotify watch limit reached"), { code: "ENOSPC" });
      });
      const reports: string[] = [];
      let calls = 0;
      stop = watchDirectories([dir.path], () => calls++, {
        debounceMs: 10,
        pollIntervalMs: 20,
        onFallback: (directory, reason) => reports.push(`${directory} ${reason}`),
      });
      await waitFor(() => calls >= 3, "three polls");
      expect(reports).toEqual([`${dir.path} ENOSPC`]);
    });

    it("reports nothing for a directory that is only absent", async () => {
      const reports: string[] = [];
      let calls = 0;
      stop = watchDirectories([join(dir.path, "not-there-yet")], () => calls++, {
        debounceMs: 10,
        pollIntervalMs: 20,
        onFallback: (directory, reason) => reports.push(`${directory} ${reason}`),
      });
      await waitFor(() => calls >= 3, "three polls");
      expect(reports).toEqual([]);
    });
  });

  describe("when stopped", () => {
    it("calls back no more", async () => {
      let calls = 0;
      const stopNow = watchDirectories([dir.path], () => calls++, { debounceMs: 10, pollIntervalMs: 20 });
      stopNow();
      await writeFile(join(dir.path, ".env"), "K=1\n");
      await sleep(100);
      expect(calls).toBe(0);
    });
  });
});
